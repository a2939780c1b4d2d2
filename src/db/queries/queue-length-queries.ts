import { count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../database';
import { conversations } from '../schema';

/**
 * Conversations waiting for an operator, per organisation and department, longest queue first; a chat with
 * no department (its number has none) counts under `none`. Only waiting rows are read (a partial index).
 */
export async function queueLengths(db: Db): Promise<{ orgId: string; departmentId: string; waiting: number }[]> {
  const departmentId = sql<string>`coalesce(${conversations.departmentId}::text, 'none')`;
  const waiting = count();
  return db
    .select({ orgId: conversations.orgId, departmentId, waiting })
    .from(conversations)
    .where(eq(conversations.status, 'waiting'))
    .groupBy(conversations.orgId, departmentId)
    .orderBy(desc(waiting));
}
