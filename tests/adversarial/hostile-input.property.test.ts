import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Supergraph } from '@apollo/federation-internals';
import { Kind, parse, typeFromAST, type GraphQLInputType, type OperationDefinitionNode } from 'graphql';
import { operationDocuments } from '../../gateway/trusted-documents';
import { addCatalog } from '../support/catalog';
import { CONTRACT_OPERATIONS_DIR } from '../support/contract-operations';
import { graphql } from '../support/graphql';
import { hostileValue } from '../support/hostile-values';
import { openRawSocket } from '../support/raw-socket';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

/** Codes a client may get for what it sent; anything else (INTERNAL_SERVER_ERROR, SERVICE_DEGRADED) is the server's fault. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'RATE_LIMITED',
]);

const supergraphSdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
const apiSchema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();

/** Every operation of every contract file, one document each (with its fragments), as clients send them. */
const operations = readdirSync(CONTRACT_OPERATIONS_DIR)
  .filter((file) => file.endsWith('.graphql'))
  .flatMap((file) => operationDocuments(readFileSync(path.join(CONTRACT_OPERATIONS_DIR, file), 'utf8')))
  .map(({ operationName, document }) => {
    const operation = parse(document).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    return { operationName, document, kind: operation.operation, variables: operation.variableDefinitions ?? [] };
  });

describe('hostile values in every argument of every contract operation (fast-check)', () => {
  let stack: TestStack;
  let token: string;
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    stack = await startStack();
    await addCatalog(stack.runtime.orm, 'ev-private', 2, 'EUR');
    await addCatalog(stack.runtime.orm, 'ev-public', 1, 'USD');
    const sql = <T>(text: string) => stack.runtime.orm.em.fork().execute<T[]>(text);
    const events = ['ev-private', 'ev-public', 'ev-nope'];
    const sessions = ['s-keynote', 's-workshop', 's-open'];
    const offers = (await sql<{ id: string }>('select id from offers')).map((row) => row.id);
    const ads = (await sql<{ id: string }>('select id from ads')).map((row) => row.id);
    Object.assign(ids, { eventId: events, sessionId: sessions, offerId: offers, id: offers, adId: ads, entryId: ['00000000-0000-0000-0000-000000000001'] });
    token = await tokenFor('u-owner');
  });
  afterAll(() => stack.close());

  const variablesOf = (operation: (typeof operations)[number]) => {
    const fields = Object.fromEntries(
      operation.variables.map((definition) => {
        const name = definition.variable.name.value;
        const type = typeFromAST(apiSchema, definition.type as never) as GraphQLInputType;
        const valid: Record<string, unknown[]> = {
          ID: ids[name] ?? [...(ids.eventId ?? []), ...(ids.offerId ?? [])],
          String: name === 'placement' ? ['lobby-banner', 'sidebar'] : ['hello'],
          'CreateOfferInput.eventId': ids.eventId,
          'CreateAdInput.eventId': ids.eventId,
        };
        return [name, hostileValue(type, valid)];
      }),
    );
    return fc.oneof(
      { arbitrary: fc.record(fields), weight: 5 },
      { arbitrary: fc.record(fields, { requiredKeys: [] }), weight: 1 },
      { arbitrary: fc.record(fields).map((values) => ({ ...values, notDeclared: 'x\u0000' })), weight: 1 },
    );
  };

  const unexpected = (errors: { message: string; extensions?: Record<string, any> }[] = []) =>
    errors.filter((error) => !CLIENT_CODES.has(error.extensions?.code));

  it.each(operations.filter((operation) => operation.kind !== 'subscription').map((operation) => [operation.operationName, operation] as const))(
    '%s answers 4xx or data, never a 5xx or an internal error',
    async (_name, operation) => {
      await fc.assert(
        fc.asyncProperty(variablesOf(operation), async (variables) => {
          const answer = await graphql(stack.gatewayUrl, operation.document, { variables, token });
          const wrong = unexpected(answer.errors);
          if (answer.status >= 500 || wrong.length > 0) {
            throw new Error(`status ${answer.status}: ${JSON.stringify(wrong.length > 0 ? wrong : answer.errors).slice(0, 500)}`);
          }
          for (const error of answer.errors ?? []) {
            if (error.extensions?.code === 'BAD_USER_INPUT' && typeof error.extensions.field !== 'string') {
              throw new Error(`BAD_USER_INPUT without field: ${error.message}`);
            }
          }
        }),
        { numRuns: 25 },
      );
    },
    240_000,
  );

  it.each(operations.filter((operation) => operation.kind === 'subscription').map((operation) => [operation.operationName, operation] as const))(
    '%s over graphql-ws answers an error message or events, never closes the socket with an internal error',
    async (_name, operation) => {
      const socket = openRawSocket(stack.gatewayUrl, { authorization: `Bearer ${token}` });
      expect(await socket.outcome).toBe('ack');
      let id = 0;
      try {
        await fc.assert(
          fc.asyncProperty(variablesOf(operation), async (variables) => {
            id += 1;
            const key = String(id);
            socket.subscribe(key, operation.document, variables);
            // Answers that come at once (refusals) come within this; a running subscription is then stopped.
            await new Promise((resolve) => setTimeout(resolve, 150));
            socket.send({ id: key, type: 'complete' });
            const errors = socket.messages.filter((message) => message.id === key && message.type === 'error').flatMap((message) => message.payload);
            const wrong = unexpected(errors);
            if (wrong.length > 0) throw new Error(JSON.stringify(wrong).slice(0, 500));
          }),
          { numRuns: 15 },
        );
        const closedEarly = await Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve('open'), 100))]);
        expect(closedEarly).toBe('open');
      } finally {
        await socket.close();
      }
    },
    240_000,
  );
});
