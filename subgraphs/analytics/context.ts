import type { SubgraphContext } from '../../kernel/subgraph/context';

export type AnalyticsContext = SubgraphContext<Record<string, never>>;
