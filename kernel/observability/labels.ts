/**
 * Label values must come from small fixed sets: a label per user, id or raw operation text would
 * give Prometheus a new series each time. These helpers map what a request says onto such sets.
 */
import { PUBLIC_CODES } from '../errors';

/** The codes clients can receive: the public ones, and INTERNAL_SERVER_ERROR for masked failures. */
const ERROR_CODES = new Set([...PUBLIC_CODES, 'INTERNAL_SERVER_ERROR']);

/** An error code as a label: one of the codes the system answers with, `OTHER` for anything else. */
export function errorCodeLabel(code: unknown): string {
  return typeof code === 'string' && ERROR_CODES.has(code) ? code : 'OTHER';
}

const OPERATION_TYPES = new Set(['query', 'mutation', 'subscription']);

export function operationTypeLabel(type: unknown): string {
  return typeof type === 'string' && OPERATION_TYPES.has(type) ? type : 'unknown';
}

/**
 * An operation name as a label: a name in `known` (the trusted documents) as it is, `anonymous`
 * without a name, `other` for any name a client made up.
 */
export function operationLabel(name: string | null | undefined, known: ReadonlySet<string>): string {
  if (!name) return 'anonymous';
  return known.has(name) ? name : 'other';
}

/**
 * The client's operation name inside the name @apollo/gateway gives a subgraph fetch
 * (`<Operation>__<subgraph>__<n>`), or the name as it is.
 */
export function clientOperationName(name: string | null | undefined): string | null | undefined {
  if (!name) return name;
  const match = /^(.+)__[a-z0-9_]+__\d+$/i.exec(name);
  return match ? match[1] : name;
}
