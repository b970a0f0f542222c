import type { SubgraphContext } from '../../kernel/subgraph/context';
import type { AdsServices } from './services';
import type { AdsLoaders } from './loaders';

export type AdsContext = SubgraphContext<AdsLoaders, AdsServices>;
