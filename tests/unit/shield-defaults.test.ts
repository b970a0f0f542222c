import { GraphQLError, parse, graphql as execute } from 'graphql';
import { allow } from 'graphql-shield';
import { z } from 'zod';
import { defineConfigSection } from '../../kernel/config';
import { buildGuardedSchema } from '../../kernel/subgraph/server';

describe('graphql-shield in a subgraph', () => {
  const schema = buildGuardedSchema({
    name: 'offers',
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
      type Query { open: String guarded: String failing: String }
    `),
    config: defineConfigSection('shield-test', z.object({}), () => ({})),
    resolvers: {
      Query: {
        open: () => 'open',
        guarded: () => 'secret',
        failing: () => {
          throw new GraphQLError('Quantity must be 1 to 20.', {
            extensions: { code: 'BAD_USER_INPUT', field: 'quantity' },
          });
        },
      },
    },
    permissions: { Query: { open: allow, failing: allow } },
    createLoaders: () => ({}),
  });

  it('denies a field that has no rule, with FORBIDDEN', async () => {
    const result = await execute({ schema, source: '{ guarded }', contextValue: {} });
    expect(result.data?.guarded).toBeNull();
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('serves a field whose rule allows it', async () => {
    const result = await execute({ schema, source: '{ open }', contextValue: {} });
    expect(result.data?.open).toBe('open');
  });

  it('lets resolver errors reach the client unchanged', async () => {
    const result = await execute({ schema, source: '{ failing }', contextValue: {} });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quantity' });
  });

  it('serves the federation _service field to the gateway without each subgraph listing it', async () => {
    const result = await execute({ schema, source: '{ _service { sdl } }', contextValue: {} });
    expect(result.errors).toBeUndefined();
    expect(result.data?._service).toMatchObject({ sdl: expect.stringContaining('guarded') });
  });
});
