import type { Client } from '@temporalio/client';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/database';
import { conversations } from '../db/schema';
import { wakeSignal } from '../../workflows/conversation-workflow';

/** How many of a department's oldest waiting chats to wake when a slot may have opened. */
const WAKE_PER_DEPARTMENT = 5;

/**
 * Tells the oldest waiting chats of these departments to try for an operator now. Waking a few
 * more than may fit is harmless (assignment keeps queue order and capacity); waking none would
 * leave them to the slow safety-net retry.
 */
export async function wakeQueue(temporal: Client, db: Db, departmentIds: string[]): Promise<number> {
  if (departmentIds.length === 0) return 0;
  const waiting = await db
    .select({ workflowId: conversations.workflowId, departmentId: conversations.departmentId })
    .from(conversations)
    .where(and(inArray(conversations.departmentId, [...new Set(departmentIds)]), eq(conversations.status, 'waiting')))
    .orderBy(asc(conversations.queuedAt))
    .limit(WAKE_PER_DEPARTMENT * departmentIds.length);
  // A chat that finished meanwhile simply is not signalled.
  await Promise.all(waiting.map(({ workflowId }) => temporal.workflow.getHandle(workflowId).signal(wakeSignal).catch(() => undefined)));
  return waiting.length;
}
