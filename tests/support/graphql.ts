import { print, type DocumentNode } from 'graphql';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, unknown>;
}

/** Sends one GraphQL operation over HTTP, as a client would. */
export async function graphql<T = any>(
  url: string,
  operation: string | DocumentNode,
  options: { variables?: Record<string, unknown>; token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query: typeof operation === 'string' ? operation : print(operation), variables: options.variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** The error codes of a response, in order. */
export const codesOf = (response: GraphQLResponse) => (response.errors ?? []).map((error) => error.extensions?.code);
