import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { ApolloServer, HeaderMap, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import { execute, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { SignJWT } from 'jose';
import { Pool } from 'pg';
import { startGatewayProcess } from './gateways';
import { dashboardBody } from './scenarios';
import { BENCH_JWT_SECRET, startBenchStack } from './stack';

/**
 * `NODE_ENV=production node --import tsx bench/subgraph-layers.ts [--n=2000] [--profile=served|execute|jit]`:
 * where the subgraphs' CPU per dashboard request goes, layer by layer, in one process (issue 19).
 * The subgraph requests one `EventMonetization` makes through our gateway are captured once, then
 * replayed `--n` times, 20 dashboards at a time, without HTTP, and the CPU of this process per
 * dashboard is printed for each layer:
 *
 * - served: each subgraph's Apollo Server (`executeHTTPGraphQLRequest`: pipeline, plugins,
 *   execution as served, response serialized);
 * - graphql-js / graphql-jit: the same operations on the same schemas and contexts through
 *   graphql-js's `execute` and through graphql-jit, with `JSON.stringify` of the result;
 * - SQL through the ORM / through plain pg: the statements those requests send, through
 *   `em.execute` and through a plain `pg` pool.
 *
 * Same env as `npm run bench` (DATABASE_URL, REDIS_URL). `--profile=<layer>` writes a CPU profile of
 * that layer's run to /tmp/subgraph-layers.cpuprofile instead of measuring them all.
 */
interface CapturedRequest {
  server: ApolloServer<BaseContext>;
  httpGraphQLRequest: HTTPGraphQLRequest;
  context: () => Promise<BaseContext>;
}

const args = process.argv.slice(2);
const iterations = Number(args.find((arg) => arg.startsWith('--n='))?.slice(4) ?? 2000);
const profiled = args.find((arg) => arg.startsWith('--profile='))?.slice(10);
const CONCURRENT = 20;

async function captureDashboardRequests(subgraphUrls: Record<string, string>): Promise<CapturedRequest[]> {
  const captured: CapturedRequest[] = [];
  const original = ApolloServer.prototype.executeHTTPGraphQLRequest;
  ApolloServer.prototype.executeHTTPGraphQLRequest = function (this: ApolloServer<BaseContext>, request) {
    captured.push({ server: this, httpGraphQLRequest: request.httpGraphQLRequest, context: request.context });
    return original.call(this, request);
  };
  const gateway = await startGatewayProcess({ kind: 'ours', port: 47_000 + Math.floor(Math.random() * 1000), subgraphUrls, identity: { userId: 'u-owner', email: 'owner@example.com', name: 'Olivia Owner' } });
  try {
    const token = await new SignJWT({ email: 'u-owner@example.com', name: 'u-owner' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-owner')
      .setIssuedAt()
      .setExpirationTime('30m')
      .sign(new TextEncoder().encode(BENCH_JWT_SECRET));
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: dashboardBody() });
    const answer = (await response.json()) as { errors?: unknown[] };
    if (answer.errors) throw new Error(`the dashboard failed: ${JSON.stringify(answer.errors)}`);
  } finally {
    ApolloServer.prototype.executeHTTPGraphQLRequest = original;
    await gateway.stop();
  }
  return captured;
}

async function cpuPerDashboard(name: string, dashboard: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 200; i++) await dashboard();
  const before = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      while (next++ < iterations) await dashboard();
    }),
  );
  const cpu = process.cpuUsage(before);
  const seconds = (performance.now() - started) / 1000;
  console.log(`${name.padEnd(24)} ${((cpu.user + cpu.system) / 1000 / iterations).toFixed(3)} ms CPU per dashboard, ${(iterations / seconds).toFixed(0)}/s`);
}

async function main(): Promise<void> {
  const stack = await startBenchStack();
  const captured = await captureDashboardRequests(stack.subgraphUrls);
  const operations = captured.map((request) => {
    const internals = (request.server as unknown as { internals: { state: { schemaManager: { getSchemaDerivedData(): { schema: GraphQLSchema } } } } }).internals;
    const schema = internals.state.schemaManager.getSchemaDerivedData().schema;
    const { query, variables } = request.httpGraphQLRequest.body as { query: string; variables: Record<string, unknown> };
    const document: DocumentNode = parse(query);
    const compiled = compileQuery(schema, document);
    if (!isCompiledQuery(compiled)) throw new Error(`graphql-jit refused ${query}`);
    return { ...request, schema, document, variables, compiled: compiled as CompiledQuery };
  });

  const knex = stack.runtime.orm.em.getConnection().getKnex();
  const statements: string[] = [];
  const record = (query: { sql: string }) => statements.push(query.sql);
  knex.on('query', record);
  await Promise.all(operations.map(async (op) => execute({ schema: op.schema, document: op.document, variableValues: op.variables, contextValue: await op.context() })));
  knex.off('query', record);
  console.log(`${operations.length} subgraph requests, ${statements.length} SQL statements per dashboard; ${iterations} dashboards per layer, ${CONCURRENT} at a time`);

  const em = stack.runtime.orm.em.fork();
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const layers: Record<string, () => Promise<void>> = {
    served: async () => {
      await Promise.all(
        captured.map(async ({ server, httpGraphQLRequest, context }) => {
          const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: { ...httpGraphQLRequest, headers: new HeaderMap(httpGraphQLRequest.headers) }, context });
          if (response.body.kind !== 'complete' || response.body.string.includes('"errors"')) throw new Error('a subgraph request failed');
        }),
      );
    },
    execute: async () => {
      await Promise.all(operations.map(async (op) => JSON.stringify(await execute({ schema: op.schema, document: op.document, variableValues: op.variables, contextValue: await op.context() }))));
    },
    jit: async () => {
      await Promise.all(operations.map(async (op) => JSON.stringify(await op.compiled.query(undefined, await op.context(), op.variables))));
    },
    'sql-orm': async () => {
      await Promise.all(statements.map((sql) => em.execute(sql)));
    },
    'sql-pg': async () => {
      await Promise.all(statements.map((sql) => pool.query(sql)));
    },
  };
  try {
    if (profiled) {
      const layer = layers[profiled];
      if (!layer) throw new Error(`--profile= one of ${Object.keys(layers).join(', ')}`);
      const session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      await cpuPerDashboard(`${profiled} (profiled)`, layer);
      const { profile } = await session.post('Profiler.stop');
      writeFileSync('/tmp/subgraph-layers.cpuprofile', JSON.stringify(profile));
      console.log('profile: /tmp/subgraph-layers.cpuprofile');
      return;
    }
    for (let round = 0; round < 2; round++) {
      for (const [name, layer] of Object.entries(layers)) await cpuPerDashboard(name, layer);
    }
  } finally {
    await pool.end();
    await stack.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
