import type { SubgraphContext } from '../../kernel/subgraph/context';
import type { WaitlistLoaders } from './loaders';
import type { WaitlistRequestServices, WaitlistServices } from './services';

export type WaitlistContext = SubgraphContext<WaitlistLoaders, WaitlistServices, WaitlistRequestServices>;
