import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, graphql as execute, parse, type GraphQLObjectType } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { allow, deny, rule } from 'graphql-shield';
import { guardSchema } from '../../kernel/subgraph/guard';

/** graphql-shield applied only where a rule does something, deny by default, type-level rules once per object. */
describe('guardSchema', () => {
  const typeDefs = `
    type Query { items: [Item!]! pair: Pair! open: String secret: String }
    type Pair { left: Item! right: Item! }
    type Item { id: ID! name: String! label(upper: Boolean): String! hidden: String }
    type Note { text: String }
  `;
  const items = [
    { id: 'a', name: 'A', hidden: 'h' },
    { id: 'b', name: 'B', hidden: 'h' },
    { id: 'denied', name: 'D', hidden: 'h' },
  ];
  const resolvers = {
    Query: { items: () => items, pair: () => ({ left: items[0], right: items[0] }), open: () => 'open', secret: () => 'secret' },
    Item: { label: (item: { name: string }, args: { upper?: boolean }) => (args.upper ? item.name.toUpperCase() : item.name.toLowerCase()) },
  };

  function guarded(itemRule: unknown) {
    const calls: string[] = [];
    const counted = rule({ cache: 'no_cache' })((item: { id: string }, _args, _context, info) => {
      calls.push(`${item.id}.${info.fieldName}`);
      return item.id === 'denied' ? new GraphQLError('Not yours.', { extensions: { code: 'NOT_FOUND' } }) : true;
    });
    const schema = guardSchema(
      buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }),
      { Query: { items: allow, pair: allow, open: allow }, Pair: allow, Item: itemRule === 'wildcard' ? { '*': counted, hidden: deny } : counted } as never,
      { fallbackRule: deny, fallbackError: new GraphQLError('Forbidden.', { extensions: { code: 'FORBIDDEN' } }), allowExternalErrors: true },
    );
    return { schema, calls };
  }

  it('runs a type-level rule once per object for the fields without arguments, and per field for those with', async () => {
    const { schema, calls } = guarded('rule');
    const result = await execute({ schema, source: '{ items { id name label(upper: true) } }', contextValue: {} });
    expect(result.data).toBeNull();
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    // id and name share one verdict per item; label has arguments and is asked on its own (the
    // refused item's non-null id ends its resolution at once, so its label may never be asked).
    expect(calls.filter((call) => !call.startsWith('denied.')).sort()).toEqual(['a.id', 'a.label', 'b.id', 'b.label']);
    expect(calls.filter((call) => call === 'denied.id')).toHaveLength(1);
  });

  it('serves the allowed objects and denies every field of the refused one', async () => {
    const { schema } = guarded('rule');
    const result = await execute({ schema, source: '{ pair { left { id name } right { name } } }', contextValue: {} });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ pair: { left: { id: 'a', name: 'A' }, right: { name: 'A' } } });
  });

  it('asks once for an object wherever the response holds it, and again in every other request', async () => {
    const { schema, calls } = guarded('wildcard');
    await execute({ schema, source: '{ pair { left { id name } right { id name } } }', contextValue: {} });
    expect(calls).toHaveLength(1);
    // The same object in another request (another context) gets a verdict of its own.
    await execute({ schema, source: '{ pair { left { id name } right { id name } } }', contextValue: {} });
    expect(calls).toHaveLength(2);
  });

  it('keeps verdicts per execution under graphql-jit too: once per object, again in the next run', async () => {
    const { schema, calls } = guarded('wildcard');
    const compiled = compileQuery(schema, parse('query Pair($unused: Boolean) { pair { left { id name } right { id name } } }'));
    if (!isCompiledQuery(compiled)) throw new Error('graphql-jit refused the query');
    const context = {};
    for (const variables of [{}, {}, { unused: true }]) {
      const result = await compiled.query(undefined, context, variables);
      expect(result.errors).toBeUndefined();
    }
    expect(calls).toHaveLength(3);
  });

  it('denies a field without a rule of its own under a wildcard only by its own rule, and unlisted fields by default', async () => {
    const { schema } = guarded('wildcard');
    const hidden = await execute({ schema, source: '{ pair { left { hidden } } }', contextValue: {} });
    expect(hidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const secret = await execute({ schema, source: '{ secret }', contextValue: {} });
    expect(secret.data?.secret).toBeNull();
    expect(secret.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('runs a rule shared by several fields of an object once for that object, and answers without a promise when the rule does', async () => {
    let asked = 0;
    const shared = rule({ cache: 'no_cache' })(() => {
      asked += 1;
      return true;
    });
    const schema = guardSchema(
      buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }),
      { Query: { items: allow }, Item: { id: shared, name: shared, hidden: deny } } as never,
      { fallbackRule: deny, fallbackError: new GraphQLError('Forbidden.', { extensions: { code: 'FORBIDDEN' } }), allowExternalErrors: true },
    );
    const result = await execute({ schema, source: '{ items { id name } }', contextValue: {} });
    expect(result.errors).toBeUndefined();
    expect(asked).toBe(items.length);
    const name = (schema.getType('Item') as GraphQLObjectType).getFields().name;
    const value = name.resolve!(items[0], {}, {}, { fieldName: 'name', path: { prev: { key: 0, prev: undefined, typename: undefined }, key: 'name', typename: 'Item' } } as never);
    expect(value).toBe('A');
  });

  it('leaves the resolvers of allowed fields unwrapped', () => {
    const { schema } = guarded('rule');
    const pair = schema.getType('Pair') as GraphQLObjectType;
    expect(pair.getFields().left.resolve).toBeUndefined();
    const item = schema.getType('Item') as GraphQLObjectType;
    expect(item.getFields().name.resolve).toBeDefined();
  });

  it('rejects rules for fields the schema does not have, as shield does', () => {
    expect(() =>
      guardSchema(buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }), { Query: { nope: allow } } as never, {
        fallbackRule: deny,
        fallbackError: new Error('Forbidden.'),
        allowExternalErrors: true,
      }),
    ).toThrow(/nope/);
  });
});
