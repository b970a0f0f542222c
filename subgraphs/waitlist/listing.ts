import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../kernel/db/sql';
import { badUserInput } from '../../kernel/errors';
import { isUuid } from '../../kernel/ids';
import { WAITLIST_STATUSES, type WaitlistEntry, type WaitlistStatus } from './entities/waitlist-entry';
import { ENTRY_COLUMNS, toEntry } from './entry-rows';
import { tierRankSql } from './tiers';

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
  pageInfo: { hasNextPage: boolean; endCursor: string | null; hasPreviousPage: boolean; startCursor: string | null };
  /** Matching entries before the page's first one. */
  offset: number;
  pageSize: number;
  page: number;
  pageCount: number;
  /** The people of the page as the platform knows them, to prime the user loader with. */
  users: WaitlistUserView[];
}

export interface WaitlistPageArgs {
  sessionId: string;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  page?: number | null;
  search?: string | null;
  statuses?: readonly WaitlistStatus[] | null;
}

/** Which slice of the ordered list a request asks for. */
type Window =
  | { kind: 'after'; cursor: Cursor | null; size: number }
  | { kind: 'before'; cursor: Cursor | null; size: number }
  | { kind: 'page'; offset: number; size: number };

/** Where a page ends, in serving order: tier rank, join time (microseconds since the epoch), entry id. */
interface Cursor {
  rank: number;
  joinedUs: string;
  id: string;
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify([cursor.rank, cursor.joinedUs, cursor.id])).toString('base64url');

function decodeCursor(value: string, field: 'after' | 'before'): Cursor {
  try {
    const [rank, joinedUs, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof rank === 'number' && [0, 1, 2].includes(rank) && typeof joinedUs === 'string' && /^\d{1,20}$/.test(joinedUs) && typeof id === 'string' && isUuid(id)) {
      return { rank, joinedUs, id };
    }
  } catch {
    // Falls through to the error below.
  }
  throw badUserInput(field, `${field} must be a cursor of a previous page of this list.`);
}

/** `%` and `_` are wildcards of ILIKE: a search for "50%_off" must match those characters. */
const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

function pageSize(field: 'first' | 'last', value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE) {
    throw badUserInput(field, `${field} must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return value;
}

/**
 * The slice asked for: keyset after or before a cursor (stable while people join and leave), or a
 * numbered page by offset (what "page 7" means to a person, for jumping).
 */
function windowOf(args: WaitlistPageArgs): Window {
  const given = (['after', 'before', 'page'] as const).filter((name) => args[name] !== null && args[name] !== undefined);
  if (given.length > 1) throw badUserInput(given[1], `Give at most one of after, before and page (got ${given.join(' and ')}).`);
  if (args.last !== null && args.last !== undefined) {
    if (args.after || (args.page !== null && args.page !== undefined)) {
      throw badUserInput('last', 'last pages backward: give it alone or with before, not with after or page.');
    }
    return { kind: 'before', cursor: args.before ? decodeCursor(args.before, 'before') : null, size: pageSize('last', args.last) };
  }
  const size = pageSize('first', args.first ?? DEFAULT_PAGE_SIZE);
  if (args.before) return { kind: 'before', cursor: decodeCursor(args.before, 'before'), size };
  if (args.after) return { kind: 'after', cursor: decodeCursor(args.after, 'after'), size };
  const page = args.page ?? 1;
  if (!Number.isInteger(page) || page < 1 || page > 1_000_000) throw badUserInput('page', 'page must be a whole number from 1.');
  return { kind: 'page', offset: (page - 1) * size, size };
}

const KEY = '(m.tier_rank, m.joined_at, m.id)';
const CURSOR_KEY = `(?, timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::uuid)`;

/**
 * One page of a session's waitlist in serving order (tier, then join time), searchable by name or
 * email, with the total of the whole filtered list and where the page stands in it. One SQL
 * statement whatever the page size or direction: the matching rows, their ordinals, the page, the
 * total and the people's names and emails come back together.
 */
export async function listSessionWaitlist(em: EntityManager, args: WaitlistPageArgs): Promise<WaitlistPage> {
  const window = windowOf(args);
  const statuses = args.statuses ?? ['WAITING', 'OFFERED'];
  if (statuses.length === 0 || statuses.some((status) => !WAITLIST_STATUSES.includes(status))) {
    throw badUserInput('statuses', 'statuses must name at least one waitlist status.');
  }
  const search = args.search?.trim() ?? '';
  if (search.length > MAX_SEARCH_LENGTH) {
    throw badUserInput('search', `search must be at most ${MAX_SEARCH_LENGTH} characters.`);
  }

  const params: unknown[] = [args.sessionId, pgArray(statuses)];
  let filter = '';
  if (search) {
    filter = ` and (coalesce(u.name, e.contact_name) ilike ? or coalesce(u.email, e.contact_email) ilike ?)`;
    params.push(likePattern(search), likePattern(search));
  }
  let slice: string;
  if (window.kind === 'page') {
    slice = `where m.ordinal > ? order by ${KEY} limit ?`;
    params.push(window.offset, window.size);
  } else {
    const direction = window.kind === 'after' ? '>' : '<';
    const order = window.kind === 'after' ? 'asc' : 'desc';
    slice = `where ${window.cursor ? `${KEY} ${direction} ${CURSOR_KEY}` : 'true'}
        order by m.tier_rank ${order}, m.joined_at ${order}, m.id ${order} limit ?`;
    if (window.cursor) params.push(window.cursor.rank, window.cursor.joinedUs, window.cursor.id);
    params.push(window.size);
  }

  const rows = await em.execute<Record<string, unknown>[]>(
    `with matching as (
       select ${ENTRY_COLUMNS}, ${tierRankSql('e')} as tier_rank,
              floor(extract(epoch from e.joined_at) * 1000000)::bigint::text as joined_us,
              coalesce(u.name, e.contact_name) as user_name, coalesce(u.email, e.contact_email) as user_email
         from waitlist_entries e left join platform_users u on u.id = e.user_id
        where e.session_id = ? and e.status = any(?::text[])${filter}
     ), ordered as (
       select m.*, row_number() over (order by ${KEY}) as ordinal from matching m
     ), page as (
       select * from ordered m ${slice}
     )
     select t.total_count, p.* from (select count(*) as total_count from matching) t
       left join page p on true
      order by p.ordinal`,
    params,
  );

  const totalCount = Number(rows[0]?.total_count ?? 0);
  const pageRows = rows.filter((row) => row.id !== null);
  const edges = pageRows.map((row) => ({
    cursor: encodeCursor({ rank: Number(row.tier_rank), joinedUs: String(row.joined_us), id: row.id as string }),
    node: toEntry(row),
  }));
  const firstOrdinal = pageRows.length > 0 ? Number(pageRows[0].ordinal) : null;
  const lastOrdinal = pageRows.length > 0 ? Number(pageRows.at(-1)!.ordinal) : null;
  // An empty slice stands where it was asked for: past the end (after, page) or before the start (before).
  const offset = firstOrdinal !== null ? firstOrdinal - 1 : window.kind === 'page' ? window.offset : window.kind === 'after' ? totalCount : 0;
  return {
    totalCount,
    edges,
    pageInfo: {
      hasNextPage: lastOrdinal !== null ? lastOrdinal < totalCount : window.kind === 'before' && totalCount > 0,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasPreviousPage: firstOrdinal !== null ? firstOrdinal > 1 : window.kind !== 'before' && offset > 0 && totalCount > 0,
      startCursor: edges[0]?.cursor ?? null,
    },
    offset,
    pageSize: window.size,
    page: Math.floor(offset / window.size) + 1,
    pageCount: Math.max(1, Math.ceil(totalCount / window.size)),
    users: pageRows.map((row) => ({
      id: row.user_id as string,
      name: (row.user_name as string | null) ?? null,
      email: (row.user_email as string | null) ?? null,
    })),
  };
}
