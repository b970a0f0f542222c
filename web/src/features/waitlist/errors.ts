import { CombinedGraphQLErrors } from '@apollo/client/errors';

/** What the server said went wrong, and the input it named (`extensions.field` of BAD_USER_INPUT). */
export interface ServerProblem {
  message: string;
  field: string | null;
}

export function serverProblem(error: unknown): ServerProblem {
  if (CombinedGraphQLErrors.is(error) && error.errors.length > 0) {
    const first = error.errors[0]!;
    const field = first.extensions?.code === 'BAD_USER_INPUT' && typeof first.extensions.field === 'string' ? first.extensions.field : null;
    return { message: first.message, field };
  }
  return { message: 'The server could not be reached. Check your connection and try again.', field: null };
}
