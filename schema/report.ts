import type { CheckReport, ChangeReport, OperationReport } from './check';
import { formatDiagnostic } from './diagnostics';

const indent = (text: string, by = '  ') => text.split('\n').map((line) => `${by}${line}`).join('\n');

/** Above this many safe changes, the report counts them by type instead of listing them (`--json` has them all). */
const SAFE_CHANGES_LISTED = 20;

/** One line per change: descriptions in messages may span several. */
function oneLine(text: string, max = 160): string {
  const line = text.replace(/\s*\n\s*/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function formatChange(change: ChangeReport): string {
  const lines = [`${change.level.toUpperCase().padEnd(9)} ${oneLine(change.message)}${change.path ? `  [${change.path}]` : ''}`];
  if (change.level !== 'safe') {
    lines.push(change.usedBy.length > 0 ? `          used by ${change.usedBy.map((user) => `${user.name} (${user.file})`).join(', ')}` : '          used by no known operation');
  }
  return lines.join('\n');
}

function formatOperation(operation: OperationReport): string {
  const where = `${operation.file}${operation.line ? `:${operation.line}` : ''}`;
  const lines = [`${operation.valid ? 'uses breaking changes' : 'BROKEN'}: ${operation.name} (${where})${operation.brokenBefore ? ' — already broken in the committed supergraph' : ''}`];
  for (const error of operation.errors) {
    const at = error.line ? ` at ${error.file}:${error.line}:${error.column}` : '';
    lines.push(`    ${error.coordinate ? `${error.coordinate}: ` : ''}${error.message}${at}`);
  }
  for (const change of operation.breakingChanges) lines.push(`    uses breaking change ${change}`);
  return lines.join('\n');
}

function safeChangesByType(changes: ChangeReport[]): string {
  const counts = new Map<string, number>();
  for (const change of changes.filter((candidate) => candidate.level === 'safe')) counts.set(change.type, (counts.get(change.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([type, count]) => `${count} ${type}`).join(', ');
}

/** The check's human-readable report; `--json` prints the CheckReport itself. */
export function formatReport(report: CheckReport, base: string): string {
  const sections: string[] = [];
  const { errors, hints } = report.composition;
  sections.push(`composition: ${errors.length > 0 ? `FAILED, ${errors.length} error(s)` : 'ok'}${hints.length ? `, ${hints.length} hint(s)` : ''}`);
  sections.push(...[...errors, ...hints].map((diagnostic) => indent(formatDiagnostic(diagnostic))));

  const lintErrors = report.lint.filter((finding) => finding.severity === 'error').length;
  sections.push(`lint: ${lintErrors} error(s), ${report.lint.length - lintErrors} warning(s)`);
  sections.push(...report.lint.map((finding) => indent(formatDiagnostic(finding))));

  if (errors.length === 0) {
    const count = (level: string) => report.changes.filter((change) => change.level === level).length;
    sections.push(`changes against ${base}: ${count('breaking')} breaking, ${count('dangerous')} dangerous, ${count('safe')} safe`);
    const order = ['breaking', 'dangerous', 'safe'];
    const sorted = [...report.changes].sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level));
    const listed = count('safe') > SAFE_CHANGES_LISTED ? sorted.filter((change) => change.level !== 'safe') : sorted;
    sections.push(...listed.map((change) => indent(formatChange(change))));
    if (listed.length < sorted.length) sections.push(indent(`SAFE      ${safeChangesByType(report.changes)} (--json lists them)`));

    const concerned = report.operations.filter((operation) => !operation.valid || operation.breakingChanges.length > 0);
    const broken = report.operations.filter((operation) => !operation.valid).length;
    sections.push(`operations: ${report.operations.length} checked, ${broken} broken`);
    sections.push(...concerned.map((operation) => indent(formatOperation(operation))));
  }
  for (const file of report.unparsableOperationFiles) sections.push(`operation file ${file.file}:${file.line ?? 0}:${file.column ?? 0} does not parse: ${file.message}`);

  sections.push(report.passed ? 'schema check passed' : `schema check FAILED:\n${report.failures.map((failure) => `  - ${failure}`).join('\n')}`);
  return sections.join('\n');
}
