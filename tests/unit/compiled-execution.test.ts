import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, execute, parse } from 'graphql';
import { compileQuery } from 'graphql-jit';
import { compiledExecution } from '../../kernel/subgraph/compiled-execution';

jest.mock('graphql-jit', () => {
  const actual = jest.requireActual('graphql-jit');
  return { ...actual, compileQuery: jest.fn(actual.compileQuery) };
});
const compilations = compileQuery as jest.MockedFunction<typeof compileQuery>;

/** A subgraph's Apollo Server with graphql-jit as its executor answers exactly as graphql-js would. */
describe('compiledExecution', () => {
  const typeDefs = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { items(first: Int!): [Item!]! item(id: ID!): Item search(filter: Filter!): [String!]! }
    input Filter { prefix: String! = "" limit: Int! = 10 }
    type Mutation { append(name: String!): [String!]! }
    type Item @key(fields: "id") { id: ID! name: String! price: Int secret: String }
  `);
  const names: string[] = [];
  const items = [
    { id: 'a', name: 'A', price: 100 },
    { id: 'b', name: 'B', price: null },
  ];
  let resolved = 0;
  const schema = buildSubgraphSchema({
    typeDefs,
    resolvers: {
      Query: {
        items: (_root: unknown, { first }: { first: number }) => items.slice(0, first),
        item: (_root: unknown, { id }: { id: string }) => items.find((item) => item.id === id) ?? null,
        search: (_root: unknown, { filter }: { filter: { prefix: string; limit: number } }) =>
          items.filter((item) => item.name.startsWith(filter.prefix)).slice(0, filter.limit).map((item) => item.name),
      },
      Mutation: {
        // Each append waits a little: root mutation fields must still run one after the other.
        append: async (_root: unknown, { name }: { name: string }) => {
          await new Promise((resolve) => setTimeout(resolve, name === 'first' ? 20 : 1));
          names.push(name);
          return [...names];
        },
      },
      Item: {
        __resolveReference: async ({ id }: { id: string }) => {
          resolved += 1;
          return items.find((item) => item.id === id) ?? null;
        },
        secret: () => {
          throw new GraphQLError('Not yours.', { extensions: { code: 'FORBIDDEN' } });
        },
      },
    } as never,
  });
  const server = new ApolloServer({ gateway: compiledExecution(schema), plugins: [ApolloServerPluginInlineTraceDisabled()] });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  /** The second answer to an operation (its first runs through graphql-js; then it is compiled), and graphql-js's. */
  async function bothWays(query: string, variables: Record<string, unknown> = {}) {
    await server.executeOperation({ query, variables });
    const response = await server.executeOperation({ query, variables });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const reference = await execute({ schema, document: parse(query), variableValues: variables, contextValue: {} });
    return { compiled: response.body.singleResult, reference: JSON.parse(JSON.stringify(reference)) };
  }

  it('answers queries, null fields and entity references as graphql-js does', async () => {
    for (const [query, variables] of [
      ['query Items($first: Int!) { items(first: $first) { id name price } }', { first: 2 }],
      ['{ item(id: "b") { id price } missing: item(id: "z") { id } }', {}],
      ['query Refs($r: [_Any!]!) { _entities(representations: $r) { ... on Item { id name } } }', { r: [{ __typename: 'Item', id: 'a' }, { __typename: 'Item', id: 'z' }] }],
    ] as const) {
      const { compiled, reference } = await bothWays(query, variables);
      expect(compiled.errors).toBeUndefined();
      expect(compiled.data).toEqual(reference.data);
    }
  });

  it('keeps a resolver error with its code and path, and nulls only what it must', async () => {
    const { compiled, reference } = await bothWays('{ items(first: 1) { id secret } }');
    expect(compiled.data).toEqual(reference.data);
    expect(compiled.errors?.map((error) => ({ code: error.extensions?.code, path: error.path, message: error.message }))).toEqual([
      { code: 'FORBIDDEN', path: ['items', 0, 'secret'], message: 'Not yours.' },
    ]);
  });

  it('refuses a bad variable of a compiled operation as BAD_USER_INPUT naming it, as graphql-js words it', async () => {
    const query = 'query Items($first: Int!) { items(first: $first) { id } }';
    await bothWays(query, { first: 1 });
    compilations.mockClear();
    for (const variables of [{ first: 'many' }, { first: null }, {}]) {
      const response = await server.executeOperation({ query, variables });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const reference = await execute({ schema, document: parse(query), variableValues: variables, contextValue: {} });
      expect(response.body.singleResult.data).toBeUndefined();
      expect(response.body.singleResult.errors?.map((error) => error.message)).toEqual(reference.errors?.map((error) => error.message));
      expect(response.body.singleResult.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.body.singleResult.errors?.[0].message).toContain('$first');
    }
    // The operation stayed compiled: the refusals did not recompile it.
    expect(compilations).not.toHaveBeenCalled();
  });

  it('applies the defaults of an input object variable that leaves fields out', async () => {
    const { compiled, reference } = await bothWays('query Search($filter: Filter!) { search(filter: $filter) }', { filter: {} });
    expect(compiled.errors).toBeUndefined();
    expect(compiled.data).toEqual({ search: ['A', 'B'] });
    expect(compiled.data).toEqual(reference.data);
  });

  it('runs the root fields of a mutation one after the other, compiled as well', async () => {
    for (let run = 0; run < 2; run++) {
      names.length = 0;
      const response = await server.executeOperation({ query: 'mutation { one: append(name: "first") two: append(name: "second") }' });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      expect(response.body.singleResult.data).toEqual({ one: ['first'], two: ['first', 'second'] });
    }
  });

  it('compiles an operation the second time it comes, once, and runs it with other variables', async () => {
    resolved = 0;
    compilations.mockClear();
    const query = 'query Refs($r: [_Any!]!) { _entities(representations: $r) { ... on Item { name } } }';
    const first = await server.executeOperation({ query, variables: { r: [{ __typename: 'Item', id: 'a' }] } });
    const second = await server.executeOperation({ query, variables: { r: [{ __typename: 'Item', id: 'b' }] } });
    expect(first.body.kind === 'single' && first.body.singleResult.data).toEqual({ _entities: [{ name: 'A' }] });
    expect(second.body.kind === 'single' && second.body.singleResult.data).toEqual({ _entities: [{ name: 'B' }] });
    const third = await server.executeOperation({ query, variables: { r: [{ __typename: 'Item', id: 'a' }, { __typename: 'Item', id: 'b' }] } });
    expect(third.body.kind === 'single' && third.body.singleResult.data).toEqual({ _entities: [{ name: 'A' }, { name: 'B' }] });
    expect(resolved).toBe(4);
    expect(compilations).toHaveBeenCalledTimes(1);
    // An operation with an input object variable is never compiled.
    await bothWays('query Search($filter: Filter!) { search(filter: $filter) }', { filter: { prefix: 'A' } });
    expect(compilations).toHaveBeenCalledTimes(1);
  });
});
