import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type ASTNode, type ValidationContext, type ASTVisitor } from 'graphql';
import { badUserInput } from '../../kernel/errors';

const MESSAGE = 'must not contain the NUL character (U+0000).';

/**
 * No ID or string may carry U+0000: PostgreSQL's text types cannot store it, so such a value got
 * as far as the database and failed there with an internal error (issue 23). Refused at the
 * gateway, before anything runs, in literals (this rule) and in variables ({@link nulInVariables}).
 */
export function NoNulCharactersRule(context: ValidationContext): ASTVisitor {
  return {
    StringValue(node, _key, parent, _path, ancestors) {
      if (!node.value.includes('\u0000')) return;
      const field = fieldPath([...ancestors, parent as ASTNode]);
      context.reportError(new GraphQLError(`${field} ${MESSAGE}`, { nodes: node, extensions: { code: 'BAD_USER_INPUT', field } }));
    },
  };
}

/** Names the argument and input fields around a literal: `input.title`. */
function fieldPath(ancestors: readonly (ASTNode | readonly ASTNode[])[]): string {
  const names: string[] = [];
  for (const ancestor of ancestors) {
    if (Array.isArray(ancestor)) continue;
    const node = ancestor as ASTNode;
    if (node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD) names.push(node.name.value);
    if (node.kind === Kind.FIELD || node.kind === Kind.DIRECTIVE) names.length = 0;
  }
  return names.join('.') || 'value';
}

/** The path of the first string holding U+0000 among the variables (`input.title`, `ids.2`), if any. */
export function nulInVariables(variables: unknown): string | undefined {
  const search = (value: unknown, path: string, depth: number): string | undefined => {
    if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
    if (depth > 32 || value === null || typeof value !== 'object') return undefined;
    for (const [key, inner] of Object.entries(value)) {
      if (key.includes('\u0000')) return path ? `${path}.${key}` : key;
      const found = search(inner, path ? `${path}.${key}` : key, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return search(variables, '', 0);
}

/** The error for a variable holding U+0000; HTTP answers it with 400. */
export function nulVariableError(field: string): GraphQLError {
  const error = badUserInput(field, `${field} ${MESSAGE}`);
  return new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
}

/** Refuses operations whose variables hold U+0000 before they are planned. */
export const nulVariablesPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request }) {
        const field = nulInVariables(request.variables);
        if (field !== undefined) throw nulVariableError(field);
      },
    };
  },
};
