import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { requeueSignal, wakeSignal } from '../contracts/conversation-contract';
import type { Db, Tx } from '../db/database';
import { oldestWaiting, unansweredOpenConversations, waitingOnBrand } from '../db/queries/conversation-queries';
import { departmentsOfOperator } from '../db/queries/directory-queries';
import { withinDeadline } from './call-deadline';

/** How many of a department's oldest waiting chats to wake when a slot may have opened. */
const WAKE_PER_DEPARTMENT = 5;

/** Tells chats to look for an operator now; one that finished meanwhile is simply not signalled. */
export async function wakeConversations(temporal: Client, workflowIds: string[]): Promise<void> {
  const wake = (id: string) => withinDeadline(temporal, () => temporal.workflow.getHandle(id).signal(wakeSignal));
  await Promise.all(workflowIds.map((id) => wake(id).catch(() => undefined)));
}

/**
 * Wakes the oldest waiting chats of these departments. Waking a few more than may fit is harmless
 * (assignment keeps queue order and capacity); waking none would leave them to the slow safety-net retry.
 */
export async function wakeQueue(temporal: Client, db: Db, departmentIds: string[]): Promise<number> {
  if (departmentIds.length === 0) return 0;
  const waiting = await oldestWaiting(db, [...new Set(departmentIds)], WAKE_PER_DEPARTMENT);
  await wakeConversations(temporal, waiting);
  return waiting.length;
}

/** An operator became available: their departments' queues may move. */
export async function wakeOperatorQueues(temporal: Client, db: Db, operatorId: string): Promise<void> {
  await wakeQueue(temporal, db, await departmentsOfOperator(db, operatorId));
}

/** A brand switched back on (F15): the chats it held back are routed now. */
export async function wakeBrandOnNumber(temporal: Client, db: Db, numberId: string, brandId: string): Promise<void> {
  await wakeConversations(temporal, await waitingOnBrand(db, numberId, brandId));
}

/** An operator went offline: the chats they never answered go back to the queue. */
export async function requeueUnanswered(temporal: Client, tx: Tx, operatorId: string): Promise<void> {
  const unanswered = await unansweredOpenConversations(tx, operatorId);
  // Failing here fails the presence change (503): retrying it requeues what is still unanswered. A chat that
  // closed meanwhile needs no requeue.
  const requeue = (id: string) =>
    withinDeadline(temporal, () => temporal.workflow.getHandle(id).signal(requeueSignal)).catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
  await Promise.all(unanswered.map(requeue));
}
