import { parseCommandLine, selectSubgraphs, SUBGRAPH_OPTIONS, UsageError } from './cli-options';
import { formatDiagnostic } from './diagnostics';
import { lintSubgraphs } from './lint';

const USAGE = `usage: npm run schema:lint -- [--subgraph <name> --schema <file>] [--subgraphs-dir <dir>]

Lints the subgraph SDLs (entity keys resolvable, Money for every amount, descriptions, no
@shareable conflicts). Warnings are printed; any error exits 1.`;

function main(argv: string[]): number {
  const values = parseCommandLine(argv, SUBGRAPH_OPTIONS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const findings = lintSubgraphs(selectSubgraphs(values));
  for (const finding of findings) console.log(formatDiagnostic(finding));
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  console.log(`lint: ${errors} error(s), ${findings.length - errors} warning(s)`);
  return errors > 0 ? 1 : 0;
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (error) {
  console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
}
