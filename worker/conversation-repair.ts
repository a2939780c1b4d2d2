import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { conversationWorkflowType } from '../src/contracts/conversation-contract';
import type { Db } from '../src/db/database';
import { liveConversationsBefore } from '../src/db/queries/repair-queries';
import type { Logger } from '../src/logger';
import type { OnStop } from '../src/run-until-signal';
import { restartConversation } from '../src/workflow-client/conversation-client';

export interface RepairDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
}

/** A conversation this young may still be starting: its webhook is between the insert and the signal. */
const GRACE_MS = 60_000;
const EVERY_MS = 60_000;
const BATCH = 1000;

/** Asks the workflow itself: visibility lags, and a lagging list is not a lost chat. */
export async function isRunning(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    return (await temporal.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/**
 * Finds live conversations whose workflow is not running and starts it again from the database. A
 * customer's message is stored before its workflow is signalled; when Temporal is down at that moment and
 * Twilio does not deliver again, this is what keeps the chat from waiting forever. Returns the restarted ids.
 */
export async function repairConversations({ db, temporal, taskQueue }: RepairDeps): Promise<string[]> {
  const live = await liveConversationsBefore(db, new Date(Date.now() - GRACE_MS), BATCH);
  if (!live.length) return [];
  const running = new Set<string>();
  const query = `WorkflowType = '${conversationWorkflowType}' AND ExecutionStatus = 'Running'`;
  for await (const execution of temporal.workflow.list({ query })) running.add(execution.workflowId);
  const restarted: string[] = [];
  for (const { id, workflowId } of live) {
    // Visibility lags behind: ask the workflow itself before restarting it.
    if (running.has(workflowId) || (await isRunning(temporal, workflowId))) continue;
    if (await restartConversation(temporal, taskQueue, db, id)) restarted.push(id);
  }
  return restarted;
}

/** Runs the repair every minute in this worker; several workers repairing at once is harmless (restarts are idempotent). */
export function startConversationRepair(deps: RepairDeps, onStop: OnStop): void {
  let sweeping: Promise<void> | undefined;
  const sweep = async () => {
    try {
      const ids = await repairConversations(deps);
      if (ids.length) deps.logger.warn({ conversationIds: ids }, 'restarted conversations that had no workflow');
    } catch (err) {
      deps.logger.warn({ err }, 'conversation repair failed; trying again in a minute');
    } finally {
      sweeping = undefined;
    }
  };
  const timer = setInterval(() => (sweeping ??= sweep()), EVERY_MS);
  onStop(async () => {
    clearInterval(timer);
    await sweeping;
  });
}
