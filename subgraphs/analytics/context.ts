import type { SubgraphContext } from '../../kernel/subgraph/context';
import type { AnalyticsLoaders } from './loaders';

export type AnalyticsContext = SubgraphContext<AnalyticsLoaders>;
