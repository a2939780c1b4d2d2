import { sql, type AnyColumn } from 'drizzle-orm';

/**
 * A timestamp to the microsecond PostgreSQL keeps, as ISO 8601, for cursors: a JavaScript Date stops at the
 * millisecond, and a cursor cut there finds its own row again, or skips the rows sharing that millisecond.
 */
export const exactTime = (column: AnyColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
