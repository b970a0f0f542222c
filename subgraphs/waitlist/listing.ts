import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../kernel/db/sql';
import { badUserInput } from '../../kernel/errors';
import { isUuid } from '../../kernel/ids';
import { WAITLIST_STATUSES, type WaitlistEntry, type WaitlistStatus } from './entities/waitlist-entry';
import { ENTRY_COLUMNS, toEntry } from './entry-rows';
import { tierRankSql } from './queue/tiers';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
const MAX_SEARCH_LENGTH = 200;

export interface WaitlistUserView {
  id: string;
  name: string | null;
  email: string | null;
}

export interface WaitlistEdge {
  cursor: string;
  node: WaitlistEntry;
}

export interface WaitlistPage {
  totalCount: number;
  edges: WaitlistEdge[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** The people of the page as the platform knows them, to prime the user loader with. */
  users: WaitlistUserView[];
}

export interface WaitlistPageArgs {
  sessionId: string;
  first?: number | null;
  after?: string | null;
  search?: string | null;
  statuses?: readonly WaitlistStatus[] | null;
}

/** Where a page ends, in serving order: tier rank, join time (microseconds since the epoch), entry id. */
interface Cursor {
  rank: number;
  joinedUs: string;
  id: string;
}

/**
 * The latest join time a cursor may carry (9999-12-31T23:59:59.999999Z in microseconds): larger
 * values overflowed PostgreSQL's timestamp arithmetic and answered an internal error (issue 23).
 */
const LATEST_JOIN_US = 253_402_300_799_999_999n;

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify([cursor.rank, cursor.joinedUs, cursor.id])).toString('base64url');

function decodeCursor(value: string): Cursor {
  try {
    const [rank, joinedUs, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof rank === 'number' && [0, 1, 2].includes(rank) && typeof joinedUs === 'string' && /^\d{1,18}$/.test(joinedUs) && BigInt(joinedUs) <= LATEST_JOIN_US && typeof id === 'string' && isUuid(id)) {
      return { rank, joinedUs, id };
    }
  } catch {
    // Falls through to the error below.
  }
  throw badUserInput('after', 'after must be the endCursor of a previous page of this list.');
}

/** `%` and `_` are wildcards of ILIKE: a search for "50%_off" must match those characters. */
const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/**
 * One page of a session's waitlist in serving order (tier, then join time), searchable by name or
 * email, with the total of the whole filtered list. One SQL statement whatever the page size: the
 * matching rows, the page, the total and the people's names and emails come back together.
 */
export async function listSessionWaitlist(em: EntityManager, args: WaitlistPageArgs): Promise<WaitlistPage> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput('first', `first must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  const statuses = args.statuses ?? ['WAITING', 'OFFERED'];
  if (statuses.length === 0 || statuses.some((status) => !WAITLIST_STATUSES.includes(status))) {
    throw badUserInput('statuses', 'statuses must name at least one waitlist status.');
  }
  const search = args.search?.trim() ?? '';
  if (search.length > MAX_SEARCH_LENGTH) {
    throw badUserInput('search', `search must be at most ${MAX_SEARCH_LENGTH} characters.`);
  }
  const after = args.after ? decodeCursor(args.after) : null;

  const params: unknown[] = [args.sessionId, pgArray(statuses)];
  let filter = '';
  if (search) {
    filter = ` and (coalesce(u.name, e.contact_name) ilike ? or coalesce(u.email, e.contact_email) ilike ?)`;
    params.push(likePattern(search), likePattern(search));
  }
  let cursorFilter = 'true';
  if (after) {
    cursorFilter = `(m.tier_rank, m.joined_at, m.id) > (?, timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::uuid)`;
    params.push(after.rank, after.joinedUs, after.id);
  }
  params.push(first + 1);

  const rows = await em.execute<Record<string, unknown>[]>(
    `with matching as (
       select ${ENTRY_COLUMNS}, ${tierRankSql('e')} as tier_rank,
              floor(extract(epoch from e.joined_at) * 1000000)::bigint::text as joined_us,
              coalesce(u.name, e.contact_name) as user_name, coalesce(u.email, e.contact_email) as user_email
         from waitlist_entries e left join platform_users u on u.id = e.user_id
        where e.session_id = ? and e.status = any(?::text[])${filter}
     ), page as (
       select * from matching m where ${cursorFilter}
        order by m.tier_rank, m.joined_at, m.id limit ?
     )
     select t.total_count, p.* from (select count(*) as total_count from matching) t
       left join page p on true
      order by p.tier_rank, p.joined_at, p.id`,
    params,
  );

  const pageRows = rows.filter((row) => row.id !== null);
  const hasNextPage = pageRows.length > first;
  const edges = pageRows.slice(0, first).map((row) => ({
    cursor: encodeCursor({ rank: Number(row.tier_rank), joinedUs: String(row.joined_us), id: row.id as string }),
    node: toEntry(row),
  }));
  return {
    totalCount: Number(rows[0]?.total_count ?? 0),
    edges,
    pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    users: pageRows.slice(0, first).map((row) => ({
      id: row.user_id as string,
      name: (row.user_name as string | null) ?? null,
      email: (row.user_email as string | null) ?? null,
    })),
  };
}
