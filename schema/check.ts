import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { apiSchemaOf } from './api-schema';
import { classifyChanges, type SchemaChange } from './changes';
import type { SubgraphSource } from './compose';
import { composeWithDiagnostics } from './composition';
import type { Diagnostic } from './diagnostics';
import { lintSubgraphs, type LintFinding } from './lint';
import { operationUsage } from './operation-usage';
import { validateOperation, type OperationError } from './operation-validation';
import { loadOperations, operationFiles, type Operation, type UnparsableFile } from './operations';

export interface CheckOptions {
  /** The proposed subgraphs: the working tree's, possibly with one replaced. */
  subgraphs: SubgraphSource[];
  /** The supergraph the proposal is compared with (the committed one). */
  baseSupergraphSdl: string;
  /** Operation files: paths, folders or `folder/*.graphql` patterns, relative to `cwd`. */
  operations: string[];
  cwd?: string;
  /** Accept breaking changes that no known operation uses. */
  allowUnusedBreaking?: boolean;
}

export interface OperationRef {
  name: string;
  file: string;
}

export interface ChangeReport extends SchemaChange {
  usedBy: OperationRef[];
}

export interface OperationReport extends OperationRef {
  line?: number;
  valid: boolean;
  errors: OperationError[];
  /** It did not validate against the committed supergraph either. */
  brokenBefore: boolean;
  /** Paths of the breaking changes it uses. */
  breakingChanges: string[];
}

export interface CheckReport {
  passed: boolean;
  /** Why it failed, one sentence each. */
  failures: string[];
  composition: { errors: Diagnostic[]; hints: Diagnostic[] };
  lint: LintFinding[];
  changes: ChangeReport[];
  operations: OperationReport[];
  unparsableOperationFiles: UnparsableFile[];
  unmatchedOperationPatterns: string[];
}

const label = (operation: OperationRef) => `${operation.name} (${operation.file})`;

/** Coordinates an operation uses in either schema: removed elements exist only in the old one. */
function coordinatesUsed(operation: Operation, schemas: GraphQLSchema[]): Set<string> {
  return new Set(schemas.flatMap((schema) => [...operationUsage(schema, operation.document).coordinates]));
}

function reportOperation(operation: Operation, oldApi: GraphQLSchema, newApi: GraphQLSchema, breaking: ChangeReport[]): OperationReport {
  const errors = validateOperation(newApi, operation);
  const ref = { name: operation.name, file: operation.file };
  return {
    ...ref,
    line: operation.node.loc?.startToken.line,
    valid: errors.length === 0,
    errors,
    brokenBefore: errors.length > 0 && validateOperation(oldApi, operation).length > 0,
    breakingChanges: breaking.filter((change) => change.usedBy.some((user) => user.name === ref.name && user.file === ref.file)).map((change) => change.path ?? change.message),
  };
}

/**
 * What a schema registry's check does: compose the proposed subgraphs, lint them, diff the API
 * schema against the committed supergraph's, and validate every known operation against the new
 * API schema, naming the operations each breaking change concerns.
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const cwd = options.cwd ?? process.cwd();
  const composition = composeWithDiagnostics(options.subgraphs);
  const lint = lintSubgraphs(options.subgraphs);
  const files = options.operations.map((pattern) => ({ pattern, files: operationFiles(pattern, cwd) }));
  const unmatchedOperationPatterns = files.filter((entry) => entry.files.length === 0).map((entry) => entry.pattern);
  const { operations, unparsable } = loadOperations([...new Set(files.flatMap((entry) => entry.files))]);
  const report: CheckReport = {
    passed: false,
    failures: [],
    composition: { errors: composition.errors, hints: composition.hints },
    lint,
    changes: [],
    operations: [],
    unparsableOperationFiles: unparsable,
    unmatchedOperationPatterns,
  };

  if (composition.supergraphSdl !== undefined) {
    const oldApi = apiSchemaOf(options.baseSupergraphSdl);
    const newApi = apiSchemaOf(composition.supergraphSdl);
    const usage = operations.map((operation) => ({ operation, coordinates: coordinatesUsed(operation, [oldApi, newApi]) }));
    report.changes = (await classifyChanges(oldApi, newApi)).map((change) => ({
      ...change,
      usedBy: usage
        .filter(({ coordinates }) => change.usageCoordinates.some((coordinate) => coordinates.has(coordinate)))
        .map(({ operation }) => ({ name: operation.name, file: operation.file })),
    }));
    const breaking = report.changes.filter((change) => change.level === 'breaking');
    report.operations = operations.map((operation) => reportOperation(operation, oldApi, newApi, breaking));
  }

  report.failures = failuresOf(report, options.allowUnusedBreaking ?? false);
  report.passed = report.failures.length === 0;
  return report;
}

function failuresOf(report: CheckReport, allowUnusedBreaking: boolean): string[] {
  const failures: string[] = [];
  const { errors } = report.composition;
  if (errors.length > 0) failures.push(`composition failed with ${errors.length} error(s); operations were not checked`);
  const lintErrors = report.lint.filter((finding) => finding.severity === 'error');
  if (lintErrors.length > 0) failures.push(`${lintErrors.length} lint error(s)`);
  for (const pattern of report.unmatchedOperationPatterns) failures.push(`no operation file matches ${pattern}`);
  for (const file of report.unparsableOperationFiles) failures.push(`operation file ${file.file} does not parse: ${file.message}`);
  for (const change of report.changes.filter((candidate) => candidate.level === 'breaking')) {
    if (change.usedBy.length > 0) {
      failures.push(`breaking change ${change.path ?? change.message} is used by ${change.usedBy.map(label).join(', ')}`);
    } else if (!allowUnusedBreaking) {
      failures.push(`breaking change ${change.path ?? change.message} is used by no known operation (--allow-unused-breaking accepts it)`);
    }
  }
  for (const operation of report.operations.filter((candidate) => !candidate.valid)) {
    const coordinates = [...new Set(operation.errors.map((error) => error.coordinate).filter(Boolean))];
    const already = operation.brokenBefore ? ', as it already did against the committed supergraph' : '';
    failures.push(`operation ${label(operation)} does not validate${coordinates.length ? ` (${coordinates.join(', ')})` : ''}${already}`);
  }
  return failures;
}

/**
 * The dashboard's operation folders: `web/src/features/<feature>/*.graphql`, for each feature that
 * has GraphQL documents.
 */
export function dashboardOperationPatterns(repoRoot: string): string[] {
  const features = path.join(repoRoot, 'web', 'src', 'features');
  if (!existsSync(features)) return [];
  return readdirSync(features, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && readdirSync(path.join(features, entry.name)).some((file) => file.endsWith('.graphql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => path.join(features, name, '*.graphql'));
}

/** The operation folders checked by default: the clients' contract, the project's own and the dashboard's. */
export function defaultOperationPatterns(repoRoot: string): string[] {
  return [
    path.join(repoRoot, '..', 'shared', 'contract', 'operations', '*.graphql'),
    path.join(repoRoot, 'schema', 'operations', '*.graphql'),
    ...dashboardOperationPatterns(repoRoot),
  ];
}
