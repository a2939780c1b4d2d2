import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { conversations, numberBrandSwitches, operatorDepartments, operators } from '../../src/db/schema';
import type { CloseReason } from '../../src/domain/conversation-timeline';

export interface AssignResult {
  operatorId: string | null;
  /** F15: the number's brand is switched off, so the chat is recorded but not routed. */
  brandSwitchedOff?: boolean;
  /** Set on a new assignment: the next chats in this department's queue may fit too. */
  wakeDepartmentId?: string;
}


export interface Freed {
  /** Departments where a slot may have opened, so their queues should look again. */
  departmentIds: string[];
}

async function departmentsOf(db: Db, operatorId: string | null): Promise<string[]> {
  if (!operatorId) return [];
  const rows = await db.select({ id: operatorDepartments.departmentId }).from(operatorDepartments).where(eq(operatorDepartments.operatorId, operatorId));
  return rows.map((r) => r.id);
}

export function createConversationActivities({ db }: { db: Db }) {
  return {
    /**
     * Gives the conversation to the available operator of its department with free capacity: fewest
     * open chats, then longest since their last assignment. Queue order holds: while an older chat
     * of the department waits, this one keeps waiting.
     */
    async assignConversation({ conversationId }: { conversationId: string }): Promise<AssignResult> {
      return db.transaction(async (tx) => {
        const [conv] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for('update');
        if (!conv) throw new Error(`conversation ${conversationId} not found`);
        if (conv.status !== 'waiting' || !conv.departmentId) return { operatorId: conv.operatorId };
        if (conv.numberId && conv.brandId) {
          const [off] = await tx
            .select()
            .from(numberBrandSwitches)
            .where(and(eq(numberBrandSwitches.numberId, conv.numberId), eq(numberBrandSwitches.brandId, conv.brandId), eq(numberBrandSwitches.enabled, false)));
          if (off) return { operatorId: null, brandSwitchedOff: true };
        }
        // One assignment per organisation at a time, so two chats cannot both take an operator's last free slot.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'assign:' + conv.orgId}))`);
        const older = await tx.execute(sql`
          select 1 from conversations c
          where c.department_id = ${conv.departmentId} and c.status = 'waiting' and c.queued_at < ${conv.queuedAt.toISOString()}
            and not exists (select 1 from number_brand_switches s where s.number_id = c.number_id and s.brand_id = c.brand_id and not s.enabled)
          limit 1`);
        if (older.length > 0) return { operatorId: null };
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
        await tx.update(conversations).set({ operatorId, status: 'open', assignedAt: now }).where(eq(conversations.id, conversationId));
        await tx.update(operators).set({ lastAssignedAt: now }).where(eq(operators.id, operatorId));
        return { operatorId, wakeDepartmentId: conv.departmentId };
      });
    },

    async closeConversation({ conversationId, reason }: { conversationId: string; reason: CloseReason }): Promise<Freed> {
      const [closed] = await db
        .update(conversations)
        .set({ status: 'closed', closeReason: reason, closedAt: new Date() })
        .where(and(eq(conversations.id, conversationId), ne(conversations.status, 'closed')))
        .returning({ operatorId: conversations.operatorId });
      return { departmentIds: await departmentsOf(db, closed?.operatorId ?? null) };
    },

    /** Back to the queue (its operator went offline, or it moved department); it keeps its place by first wait. */
    async requeueConversation(input: { conversationId: string; departmentId?: string }): Promise<Freed> {
      const [before] = await db.select({ operatorId: conversations.operatorId }).from(conversations).where(eq(conversations.id, input.conversationId));
      await db
        .update(conversations)
        .set({ status: 'waiting', operatorId: null, assignedAt: null, ...(input.departmentId ? { departmentId: input.departmentId } : {}) })
        .where(and(eq(conversations.id, input.conversationId), ne(conversations.status, 'closed')));
      return { departmentIds: await departmentsOf(db, before?.operatorId ?? null) };
    },

    /** A transfer to a named operator: they get it whatever their load, as a person handing it over intends. */
    async giveToOperator(input: { conversationId: string; operatorId: string }): Promise<Freed> {
      const [before] = await db.select({ operatorId: conversations.operatorId }).from(conversations).where(eq(conversations.id, input.conversationId));
      await db
        .update(conversations)
        .set({ status: 'open', operatorId: input.operatorId, assignedAt: new Date() })
        .where(and(eq(conversations.id, input.conversationId), ne(conversations.status, 'closed')));
      return { departmentIds: await departmentsOf(db, before?.operatorId ?? null) };
    },
  };
}
