/** Largest request body the gateway reads; a larger one is refused with 413 before parsing. */
export const MAX_BODY_BYTES = 1024 * 1024;

export { jsonErrorHandler } from '../kernel/http-errors';
