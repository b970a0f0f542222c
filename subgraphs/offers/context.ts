import type { SubgraphContext } from '../../kernel/subgraph/context';
import type { OffersLoaders } from './loaders';

export type OffersContext = SubgraphContext<OffersLoaders>;
