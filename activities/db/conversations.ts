import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { conversations, operators } from '../../src/db/schema';

export interface AssignResult {
  operatorId: string | null;
}

export function createConversationActivities({ db }: { db: Db }) {
  return {
    /** Picks the available operator of the conversation's department with the fewest open chats. */
    async assignConversation({ conversationId }: { conversationId: string }): Promise<AssignResult> {
      return db.transaction(async (tx) => {
        const [conv] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for('update');
        if (!conv) throw new Error(`conversation ${conversationId} not found`);
        if (conv.status !== 'waiting' || !conv.departmentId) return { operatorId: conv.operatorId };
        // One assignment per organisation at a time, so two chats cannot both take an operator's last free slot.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'assign:' + conv.orgId}))`);
        const rows = await tx.execute<{ id: string }>(sql`
          select o.id
          from operators o
          join operator_departments od on od.operator_id = o.id and od.department_id = ${conv.departmentId}
          cross join lateral (
            select count(*)::int as open_chats from conversations c
            where c.operator_id = o.id and c.status = 'open'
          ) load
          where o.presence = 'available' and load.open_chats < o.max_concurrent_chats
          order by load.open_chats, o.last_assigned_at nulls first, o.id
          limit 1`);
        const operatorId = rows[0]?.id ?? null;
        if (!operatorId) return { operatorId: null };
        const now = new Date();
        await tx
          .update(conversations)
          .set({ operatorId, status: 'open', assignedAt: now })
          .where(eq(conversations.id, conversationId));
        await tx.update(operators).set({ lastAssignedAt: now }).where(eq(operators.id, operatorId));
        return { operatorId };
      });
    },

    async closeConversation({ conversationId, reason }: { conversationId: string; reason: 'operator' | 'unattended_timeout' | 'inactive' }): Promise<void> {
      await db
        .update(conversations)
        .set({ status: 'closed', closeReason: reason, closedAt: new Date() })
        .where(and(eq(conversations.id, conversationId), ne(conversations.status, 'closed')));
    },
  };
}
