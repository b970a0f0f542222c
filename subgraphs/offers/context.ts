import type { SubgraphContext } from '../../kernel/subgraph/context';
import type { OffersLoaders } from './loaders';
import type { OffersServices } from './services';

export type OffersContext = SubgraphContext<OffersLoaders, OffersServices>;
