import type { Client } from '@temporalio/client';
import type { Db } from '../src/db/client';
import { wakeQueue } from '../src/temporal/queue';

export function createQueueActivities({ db, temporal }: { db: Db; temporal?: Client }) {
  return {
    /** Wakes the queues of departments where a conversation just freed an operator's slot. */
    async wakeQueue({ departmentIds }: { departmentIds: string[] }): Promise<number> {
      return temporal ? wakeQueue(temporal, db, departmentIds) : 0;
    },
  };
}
