import { REPO_ROOT } from './compose';
import { defaultOperationPatterns, runCheck } from './check';
import { parseCommandLine, readBaseSupergraph, selectSubgraphs, SUBGRAPH_OPTIONS, UsageError } from './cli-options';
import { formatReport } from './report';

const USAGE = `usage: npm run schema:check -- [options]

Composes the subgraphs, lints them, compares the API schema with the committed supergraph's and
validates every known operation against the new one. Exits 1 when the check fails, 2 on bad usage.

  --subgraph <name> --schema <file>   check a proposed SDL for one subgraph
  --subgraphs-dir <dir>               subgraphs from <dir>/<name>/*.graphql instead of subgraphs/
  --operations <pattern>              operation files (file, folder or folder/*.graphql); repeatable;
                                      default: ../shared/contract/operations/*.graphql and
                                      schema/operations/*.graphql
  --base <file> | --base-ref <rev>    the supergraph to compare with (default: schema/supergraph.graphql at HEAD)
  --allow-unused-breaking             accept breaking changes no known operation uses
  --json                              print the report as JSON`;

async function main(argv: string[]): Promise<number> {
  const values = parseCommandLine(argv, {
    ...SUBGRAPH_OPTIONS,
    operations: { type: 'string', multiple: true },
    base: { type: 'string' },
    'base-ref': { type: 'string' },
    'allow-unused-breaking': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const base = readBaseSupergraph(values);
  const report = await runCheck({
    subgraphs: selectSubgraphs(values),
    baseSupergraphSdl: base.sdl,
    operations: values.operations ?? defaultOperationPatterns(REPO_ROOT),
    allowUnusedBreaking: values['allow-unused-breaking'],
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report, base.label));
  return report.passed ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
