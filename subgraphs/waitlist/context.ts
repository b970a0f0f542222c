import type { SubgraphContext } from '../../kernel/subgraph/context';
import type { WaitlistLoaders } from './loaders';

export type WaitlistContext = SubgraphContext<WaitlistLoaders>;
