import { and, asc, desc, eq, sql, type AnyColumn } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { formatCursor, type PageCursor } from '../../domain/page-cursor';
import type { Tx } from '../database';
import { exactTime } from './exact-time';

/** A page asked for: at most `limit` rows, those past `cursor` (the previous page's `nextCursor`). */
export interface PageRequest {
  limit: number;
  cursor?: PageCursor;
}

export interface Page<T> {
  items: T[];
  /** Where the next page starts; null when this one is the last. */
  nextCursor: string | null;
}

/** The columns a row's cursor is made of, selected beside the row. */
interface CursorFields {
  cursorAt: string;
  cursorId: string;
}

/**
 * A list ordered by (time, id), immutable columns both, so a row never moves between pages while a client
 * walks them: the rows past the cursor, their order, and the fields each row's cursor is made of. Select one
 * row more than the page (`limit + 1`) and hand the rows to `pageOf`, which knows from it whether more follow.
 */
export function keyset(
  time: AnyColumn,
  id: AnyColumn,
  order: 'oldest_first' | 'newest_first',
  cursor: PageCursor | undefined,
) {
  const beyond = order === 'oldest_first' ? sql.raw('>') : sql.raw('<');
  return {
    past: cursor ? sql`(${time}, ${id}) ${beyond} (${cursor.at}::timestamptz, ${cursor.id}::uuid)` : undefined,
    orderBy: order === 'oldest_first' ? [asc(time), asc(id)] : [desc(time), desc(id)],
    cursorFields: { cursorAt: exactTime(time), cursorId: sql<string>`${id}::text` },
  };
}

/** The page of rows selected with `keyset`'s cursor fields and `limit + 1` rows. */
export function pageOf<T extends CursorFields>(rows: T[], limit: number): Page<Omit<T, keyof CursorFields>> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ cursorAt: _at, cursorId: _id, ...item }) => item),
    nextCursor: rows.length > limit && last ? formatCursor({ at: last.cursorAt, id: last.cursorId }) : null,
  };
}

type OrgTable = PgTable & { id: PgColumn; orgId: PgColumn; createdAt: PgColumn };

/** An organisation's rows of one table, oldest first: its brands, departments, operators, keys. */
export async function orgRowsPage<T extends OrgTable>(
  tx: Tx,
  table: T,
  orgId: string,
  page: PageRequest,
): Promise<Page<T['$inferSelect']>> {
  const source: OrgTable = table;
  const { past, orderBy, cursorFields } = keyset(source.createdAt, source.id, 'oldest_first', page.cursor);
  const rows = await tx
    .select({ row: source, ...cursorFields })
    .from(source)
    .where(and(eq(source.orgId, orgId), past))
    .orderBy(...orderBy)
    .limit(page.limit + 1);
  const { items, nextCursor } = pageOf(rows, page.limit);
  return { items: items.map(({ row }) => row as T['$inferSelect']), nextCursor };
}
