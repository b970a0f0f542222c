import type { ErrorRequestHandler } from 'express';

/**
 * Turns failures of Express middleware (body too large, malformed JSON, anything thrown) into short
 * JSON answers with their HTTP status, instead of Express's HTML error page, which carries a stack
 * trace outside production. Register last on an app or router.
 */
export const jsonErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  res.status(status).json(httpFailureBody(status));
};

/** The JSON body of an HTTP-level failure (before GraphQL runs), by its status. */
export function httpFailureBody(status: number) {
  const message =
    status === 413 ? 'The request body is too large.' : status < 500 ? 'The request could not be read.' : 'Internal server error.';
  return errorBody(message, status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR');
}

/** A subgraph's answer to any caller but the gateway. */
export const GATEWAY_ONLY_BODY = errorBody('Only the gateway may call this service.', 'UNAUTHENTICATED');

function errorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}
