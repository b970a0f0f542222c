import type { ErrorRequestHandler } from 'express';

/**
 * Turns failures of Express middleware (body too large, malformed JSON, anything thrown) into short
 * JSON answers with their HTTP status, instead of Express's HTML error page, which carries a stack
 * trace outside production. Register last on an app or router.
 */
export const jsonErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  const message =
    status === 413 ? 'The request body is too large.' : status < 500 ? 'The request could not be read.' : 'Internal server error.';
  res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
};
