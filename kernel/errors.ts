import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger';

/** The error codes of the outside contract. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'SERVICE_DEGRADED'
  | 'INTERNAL_SERVER_ERROR';

/** Codes a client may see as they are (the contract's, Apollo's request errors, RATE_LIMITED); any other is masked. */
export const PUBLIC_CODES: ReadonlySet<string> = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'SERVICE_DEGRADED',
  'RATE_LIMITED',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

function error(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** Bad input: `field` names the offending input path (for example `input.price`). */
export const badUserInput = (field: string, message: string) => error('BAD_USER_INPUT', message, { field });
export const unauthenticated = (message = 'You must be signed in to do this.') => error('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this.') => error('FORBIDDEN', message);
export const notFound = (what: string) => error('NOT_FOUND', `${what} was not found.`);
export const conflict = (message: string, extensions: Record<string, unknown> = {}) =>
  error('CONFLICT', message, extensions);
export const serviceDegraded = (message: string) => error('SERVICE_DEGRADED', message);

const OUTAGE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P03', '08000', '08001', '08003', '08006']);
const OUTAGE_MESSAGES = /Timeout acquiring a connection|Connection terminated|connection is closed|Connection is closed|Client has encountered a connection error/i;

/** True when the error (or one of its causes) says a dependency is unreachable rather than a bug. */
export function isDependencyOutage(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof candidate.code === 'string' && OUTAGE_CODES.has(candidate.code)) return true;
    if (candidate.name === 'ConnectionException') return true;
    if (typeof candidate.message === 'string' && OUTAGE_MESSAGES.test(candidate.message)) return true;
    current = candidate.originalError ?? candidate.cause;
  }
  return false;
}

/** True when the error was raised on purpose for the client (a known contract code). */
export function isPublicError(formatted: GraphQLFormattedError): boolean {
  const code = formatted.extensions?.code;
  return typeof code === 'string' && PUBLIC_CODES.has(code);
}

/**
 * Builds an Apollo `formatError` that lets contract errors through and masks everything else,
 * logging the original with its cause. Clients never see stacks, SQL or host names.
 */
export function maskingFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError => {
    if (isPublicError(formatted)) {
      const { stacktrace: _stacktrace, exception: _exception, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    if (isDependencyOutage(original)) {
      logger.warn({ err: unwrap(original), path: formatted.path }, 'a dependency is unavailable');
      return {
        message: 'The service is temporarily unavailable; try again shortly.',
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: 'SERVICE_DEGRADED' },
      };
    }
    logger.error({ err: unwrap(original), path: formatted.path }, 'unexpected error while resolving');
    return {
      message: 'Internal server error.',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

function unwrap(original: unknown): unknown {
  if (original instanceof GraphQLError && original.originalError) return original.originalError;
  return original;
}
