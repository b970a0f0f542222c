import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, type FieldNode, type OperationDefinitionNode } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Redis } from '../../kernel/redis';
import { CONTRACT_OPERATIONS_DIR } from './contract-operations';
import { eventually } from './timing';
import { collect, liveClient } from './live';

/** The callers the contract's "Who may do what" distinguishes, as seen from the private event ev-private. */
export const ROLES = ['anonymous', 'stranger', 'attendee', 'rival', 'staff', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who plays each role. u-stranger is signed in but known to the platform only as a user (no
 * registration, no organization); u-outsider is a member of org-rival (and owns the public
 * ev-public), so for ev-private they are another organization's member.
 */
export const ROLE_USERS: Record<Role, string | null> = {
  anonymous: null,
  stranger: 'u-stranger',
  attendee: 'u-guest',
  rival: 'u-outsider',
  staff: 'u-staff',
  owner: 'u-owner',
};

export type Denial = 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTHENTICATED';
export type Verdict = 'allowed' | Denial;

export interface ContractOperation {
  name: string;
  kind: 'query' | 'mutation' | 'subscription';
  /** The operation alone, printed, as a client sends it. */
  text: string;
  /** The first root field it selects (what a denial must leave null). */
  rootField: string;
}

/** Every named operation of every file in the contract's operations folder. */
export function contractOperations(directory = CONTRACT_OPERATIONS_DIR): ContractOperation[] {
  const files = readdirSync(directory).filter((file) => file.endsWith('.graphql')).sort();
  return files.flatMap((file) =>
    parse(readFileSync(path.join(directory, file), 'utf8'))
      .definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
      .map((operation) => ({
        name: operation.name!.value,
        kind: operation.operation,
        text: print(operation),
        rootField: (operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD) as FieldNode).name.value,
      })),
  );
}

/**
 * A fingerprint of everything a request could write: for each table of the database (migrations'
 * bookkeeping aside) its row count and a digest of all its rows, and the Redis waitlist mirror
 * (`waitlist:*`) of this test's database index. Two equal fingerprints mean no row changed.
 */
export async function fingerprint(orm: MikroORM, redis: Redis): Promise<Record<string, string>> {
  const em = orm.em.fork();
  const tables = (
    await em.execute<{ tablename: string }[]>(
      `select tablename from pg_tables where schemaname = 'public' and tablename <> 'mikro_orm_migrations' order by tablename`,
    )
  ).map((row) => row.tablename);
  const rows = await em.execute<{ name: string; print: string }[]>(
    tables
      .map(
        (table) =>
          `select '${table}' as name, count(*)::text || ' rows ' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as print from "${table}" t`,
      )
      .join(' union all '),
  );
  const result = Object.fromEntries(rows.map((row) => [row.name, row.print]));
  const keys = (await redis.keys('waitlist:*')).sort();
  const values = await Promise.all(keys.map((key) => redisValue(redis, key)));
  result['redis waitlist:*'] = JSON.stringify(keys.map((key, index) => [key, values[index]]));
  return result;
}

async function redisValue(redis: Redis, key: string): Promise<unknown> {
  switch (await redis.type(key)) {
    case 'zset':
      return redis.zrange(key, 0, -1, 'WITHSCORES');
    case 'hash':
      return redis.hgetall(key);
    case 'set':
      return (await redis.smembers(key)).sort();
    case 'list':
      return redis.lrange(key, 0, -1);
    default:
      return redis.get(key);
  }
}

/** Rows of one table, for a readable "nothing was enqueued" assertion beside the fingerprint. */
export async function countRows(orm: MikroORM, table: string): Promise<number> {
  const [row] = await orm.em.fork().execute<{ count: string }[]>(`select count(*) as count from "${table}"`);
  return Number(row.count);
}

export interface SubscriptionOutcome {
  /** The first `next` payload, when the subscription was served. */
  data: any | null;
  /** The error codes it was refused with, when it was refused. */
  codes: string[];
}

/**
 * Subscribes through the gateway over graphql-ws as `token` and waits for either a refusal or a
 * first event. `trigger` publishes one live change the subscription carries; it is repeated until
 * something arrives, since a subscriber only hears changes published after it is registered.
 */
export async function subscriptionOutcome(
  gatewayUrl: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown>,
  trigger: () => Promise<void>,
  timeoutMs = 10_000,
): Promise<SubscriptionOutcome> {
  const client = liveClient(gatewayUrl, token);
  const received = collect(client, query, variables);
  try {
    await eventually(
      async () => {
        if (received.errors.length > 0 || received.data.length > 0 || received.completed) return true;
        await trigger();
        return false;
      },
      timeoutMs,
      'the subscription to be refused or to deliver',
    );
    const refusals = [
      ...received.errors.flatMap((error) => (Array.isArray(error) ? error : [error])),
      ...received.data.flatMap((result) => result.errors ?? []),
    ];
    return {
      data: refusals.length === 0 ? received.data[0]?.data ?? null : null,
      codes: refusals.map((error: any) => error?.extensions?.code ?? String(error?.code ?? error)),
    };
  } finally {
    received.stop();
    await client.dispose();
  }
}
