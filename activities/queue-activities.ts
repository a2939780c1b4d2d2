import type { Client } from '@temporalio/client';
import type { Db } from '../src/db/database';
import { wakeQueue } from '../src/workflow-client/queue-waker';
import { wakeSignal } from '../workflows/conversation-workflow';

export function createQueueActivities({ db, temporal }: { db: Db; temporal?: Client }) {
  return {
    /** Wakes the queues of departments where a conversation just freed an operator's slot. */
    async wakeQueue({ departmentIds }: { departmentIds: string[] }): Promise<number> {
      return temporal ? wakeQueue(temporal, db, departmentIds) : 0;
    },

    /** Tells chats that were assigned on their behalf, so their workflows take up the operator. */
    async wakeConversations({ workflowIds }: { workflowIds: string[] }): Promise<void> {
      if (!temporal) return;
      await Promise.all(workflowIds.map((id) => temporal.workflow.getHandle(id).signal(wakeSignal).catch(() => undefined)));
    },
  };
}
