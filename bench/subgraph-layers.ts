import { ApolloServer, HeaderMap, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import { execute, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { Pool } from 'pg';
import { readRows } from '../kernel/db/read-rows';
import { profileWhile, runMain, saveProfile } from './cpu-profile';
import { startGatewayProcess } from './gateways';
import { dashboardBody } from './scenarios';
import { startBenchStack } from './stack';
import { summarize } from './stats';
import { BENCH_OWNER, benchUserToken } from './users';

/**
 * `npm run bench:subgraph-layers [-- --n=1000 --rounds=7 --profile=<layer>]`:
 * where the subgraphs' CPU per dashboard request goes, layer by layer, in one process (issue 19).
 * The subgraph requests one `EventMonetization` makes through our gateway are captured, then
 * replayed without HTTP, `--n` dashboards (20 at a time) per layer per round, the layers taking
 * turns for `--rounds` rounds; the median and least CPU of this process per dashboard are printed
 * for each layer:
 *
 * - served: each subgraph's Apollo Server (`executeHTTPGraphQLRequest`: pipeline, plugins,
 *   execution as served, response serialized);
 * - served-empty: the same servers, contexts and headers with `{ __typename }` as the query: what
 *   Apollo Server's pipeline costs around an execution that does nothing;
 * - graphql-js / graphql-jit: the same operations on the same schemas and contexts through
 *   graphql-js's `execute` and through graphql-jit, with `JSON.stringify` of the result;
 * - SQL: the statements those requests send, through `em.execute` (sql-orm), through
 *   `readRows` (kernel/db/read-rows.ts, as the read paths send them) and through a plain `pg` pool.
 *
 * Same env as `npm run bench` (DATABASE_URL, REDIS_URL). A measurement should take less than the 10 s
 * an access grant lasts (keep `--n` near its default), or the later dashboards read access again. `--profile=<layer>` writes a CPU profile of
 * that layer's run to bench/results/profiles/ instead of measuring them all.
 */
interface CapturedRequest {
  server: ApolloServer<BaseContext>;
  httpGraphQLRequest: HTTPGraphQLRequest;
  context: () => Promise<BaseContext>;
}

const args = process.argv.slice(2);
const iterations = Number(args.find((arg) => arg.startsWith('--n='))?.slice(4) ?? 1000);
const rounds = Number(args.find((arg) => arg.startsWith('--rounds='))?.slice(9) ?? 7);
const profiled = args.find((arg) => arg.startsWith('--profile='))?.slice(10);
const CONCURRENT = 20;

/**
 * Our gateway beside the subgraphs, to capture what one dashboard asks of them. Captured again
 * before each measurement: a request's contexts hold the access grants of its gateway request,
 * which expire after a few seconds (kernel/platform/access-grant.ts).
 */
async function startCapture(subgraphUrls: Record<string, string>) {
  const gateway = await startGatewayProcess({ kind: 'ours', subgraphUrls, identity: BENCH_OWNER });
  const token = await benchUserToken(BENCH_OWNER.userId);
  return {
    /** The subgraph requests of one dashboard, in a stable order (by query text). */
    requests: async (): Promise<CapturedRequest[]> => {
      const captured: CapturedRequest[] = [];
      const original = ApolloServer.prototype.executeHTTPGraphQLRequest;
      ApolloServer.prototype.executeHTTPGraphQLRequest = function (this: ApolloServer<BaseContext>, request) {
        captured.push({ server: this, httpGraphQLRequest: request.httpGraphQLRequest, context: request.context });
        return original.call(this, request);
      };
      try {
        const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: dashboardBody() });
        const answer = (await response.json()) as { errors?: unknown[] };
        if (answer.errors) throw new Error(`the dashboard failed: ${JSON.stringify(answer.errors)}`);
      } finally {
        ApolloServer.prototype.executeHTTPGraphQLRequest = original;
      }
      const queryOf = (request: CapturedRequest) => (request.httpGraphQLRequest.body as { query: string }).query;
      return captured.sort((a, b) => queryOf(a).localeCompare(queryOf(b)));
    },
    stop: () => gateway.stop(),
  };
}

/** CPU of this process per dashboard, in ms, over `iterations` dashboards run 20 at a time. */
async function cpuPerDashboard(dashboard: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 100; i++) await dashboard();
  const before = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      while (next++ < iterations) await dashboard();
    }),
  );
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000 / iterations;
}

const withQuestionMarks = (sql: string) => sql.replace(/\$\d+/g, '?');

async function main(): Promise<void> {
  const stack = await startBenchStack();
  const capture = await startCapture(stack.subgraphUrls);
  let captured = await capture.requests();
  const operations = captured.map((request) => {
    const internals = (request.server as unknown as { internals: { state: { schemaManager: { getSchemaDerivedData(): { schema: GraphQLSchema } } } } }).internals;
    const schema = internals.state.schemaManager.getSchemaDerivedData().schema;
    const { query, variables } = request.httpGraphQLRequest.body as { query: string; variables: Record<string, unknown> };
    const document: DocumentNode = parse(query);
    const compiled = compileQuery(schema, document);
    if (!isCompiledQuery(compiled)) throw new Error(`graphql-jit refused ${query}`);
    return { schema, document, variables, compiled: compiled as CompiledQuery, context: request.context };
  });
  const refresh = async () => {
    captured = await capture.requests();
    captured.forEach((request, index) => (operations[index].context = request.context));
  };

  const knex = stack.runtime.orm.em.getConnection().getKnex();
  // As sent: knex's own statements carry their values in the text, readRows' as `$n` parameters.
  const statements: { sql: string; values: unknown[] }[] = [];
  const record = (query: { sql: string; bindings?: unknown[] }) => statements.push({ sql: query.sql, values: [...(query.bindings ?? [])] });
  knex.on('query', record);
  await Promise.all(operations.map(async (op) => execute({ schema: op.schema, document: op.document, variableValues: op.variables, contextValue: await op.context() })));
  knex.off('query', record);
  console.log(`${operations.length} subgraph requests, ${statements.length} SQL statements per dashboard; ${rounds} rounds of ${iterations} dashboards per layer, ${CONCURRENT} at a time`);

  const em = stack.runtime.orm.em.fork();
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  /** The captured requests through their subgraphs' Apollo Servers, with another body if given. */
  const serveCaptured = async (body?: { query: string }) => {
    await Promise.all(
      captured.map(async ({ server, httpGraphQLRequest, context }) => {
        const request = { ...httpGraphQLRequest, ...(body && { body }), headers: new HeaderMap(httpGraphQLRequest.headers) };
        const response = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest: request, context });
        if (response.body.kind !== 'complete' || response.body.string.includes('"errors"')) throw new Error('a subgraph request failed');
      }),
    );
  };
  const layers: Record<string, () => Promise<void>> = {
    served: () => serveCaptured(),
    'served-empty': () => serveCaptured({ query: '{ __typename }' }),
    execute: async () => {
      await Promise.all(operations.map(async (op) => JSON.stringify(await execute({ schema: op.schema, document: op.document, variableValues: op.variables, contextValue: await op.context() }))));
    },
    jit: async () => {
      await Promise.all(operations.map(async (op) => JSON.stringify(await op.compiled.query(undefined, await op.context(), op.variables))));
    },
    'sql-orm': async () => {
      await Promise.all(statements.map(({ sql, values }) => em.execute(withQuestionMarks(sql), values)));
    },
    'sql-readrows': async () => {
      await Promise.all(statements.map(({ sql, values }) => readRows(em, withQuestionMarks(sql), values)));
    },
    'sql-pg': async () => {
      await Promise.all(statements.map(({ sql, values }) => pool.query(sql, values)));
    },
  };
  try {
    if (profiled) {
      const layer = layers[profiled];
      if (!layer) throw new Error(`--profile= one of ${Object.keys(layers).join(', ')}`);
      await refresh();
      const { result: cpuMs, profile } = await profileWhile(200, () => cpuPerDashboard(layer));
      console.log(`${profiled} (profiled): ${cpuMs.toFixed(3)} ms CPU per dashboard; profile: ${saveProfile(`subgraph-layers-${profiled}`, profile)}`);
      return;
    }
    // The layers take turns, round after round, so a busy moment of the machine touches them all.
    const samples = new Map<string, number[]>(Object.keys(layers).map((name) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, layer] of Object.entries(layers)) {
        await refresh();
        samples.get(name)!.push(await cpuPerDashboard(layer));
      }
    }
    for (const [name, values] of samples) {
      const { median, min } = summarize(values);
      console.log(`${name.padEnd(10)} median ${median.toFixed(3)} ms, min ${min.toFixed(3)} ms CPU per dashboard`);
    }
  } finally {
    await pool.end();
    await capture.stop();
    await stack.close();
  }
}

runMain(main);
