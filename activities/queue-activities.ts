import type { Client } from '@temporalio/client';
import type { ConversationActivities } from '../src/contracts/conversation-contract';
import type { Db } from '../src/db/database';
import { wakeConversations, wakeQueue } from '../src/workflow-client/queue-waker';

export function createQueueActivities({
  db,
  temporal,
}: {
  db: Db;
  temporal: Client;
}): Pick<ConversationActivities, 'wakeQueue' | 'wakeConversations'> {
  return {
    /** Wakes the queues of departments where a conversation just freed an operator's slot. */
    async wakeQueue({ departmentIds }) {
      return wakeQueue(temporal, db, departmentIds);
    },

    /** Tells chats that were assigned on their behalf, so their workflows take up the operator. */
    async wakeConversations({ workflowIds }) {
      await wakeConversations(temporal, workflowIds);
    },
  };
}
