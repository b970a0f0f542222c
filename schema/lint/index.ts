import { GraphQLError } from 'graphql';
import { subgraphDocument, type SubgraphSource } from '../compose';
import { descriptions } from './descriptions';
import { entityKeys } from './entity-keys';
import { lintSubgraph, type LintFinding, type LintRule } from './model';
import { moneyForAmounts } from './money';
import { shareableConsistency } from './shareable';

export type { LintFinding } from './model';

const RULES: LintRule[] = [entityKeys, moneyForAmounts, descriptions, shareableConsistency];

/** Lints the subgraphs together: errors fail `schema:lint` and `schema:check`, warnings are printed. */
export function lintSubgraphs(subgraphs: SubgraphSource[]): LintFinding[] {
  const syntaxErrors: LintFinding[] = [];
  const parsed = subgraphs.flatMap((subgraph) => {
    try {
      return [lintSubgraph(subgraph.name, subgraphDocument(subgraph))];
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const file = error.source?.name ?? subgraph.name;
      const locations = (error.locations ?? []).map(({ line, column }) => ({ subgraph: subgraph.name, file, line, column }));
      syntaxErrors.push({ severity: 'error', code: 'SYNTAX_ERROR', message: error.message, locations });
      return [];
    }
  });
  return [...syntaxErrors, ...RULES.flatMap((rule) => rule(parsed))];
}
