import type { SubgraphContext } from '../../kernel/subgraph/context';
import type { AdsLoaders } from './loaders';

export type AdsContext = SubgraphContext<AdsLoaders>;
