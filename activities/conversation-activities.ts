import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../src/db/database';
import { inboundAfter, lockAssignments } from '../src/db/queries/conversation-queries';
import { lockCustomer } from '../src/db/queries/inbound-queries';
import { departmentsOfOperator } from '../src/db/queries/directory-queries';
import { emitForConversation } from '../src/db/queries/event-queries';
import { conversations, numberBrandSwitches, operators } from '../src/db/schema';
import type { ConversationActivities, Freed } from '../src/contracts/conversation-contract';

/** How many more queued chats one assignment may hand out at once. */
const BATCH = 20;

/** The department's waiting chats in queue order, leaving out those whose brand is switched off. */
function queueHead(tx: Tx, departmentId: string, limit: number) {
  return tx.execute<{ id: string; workflow_id: string }>(sql`
    select c.id, c.workflow_id from conversations c
    where c.department_id = ${departmentId} and c.status = 'waiting'
      and not exists (select 1 from number_brand_switches s where s.number_id = c.number_id and s.brand_id = c.brand_id and not s.enabled)
    order by c.queued_at, c.id
    limit ${limit}`);
}

/**
 * The available operator with free capacity (fewest open chats, then longest since their last one)
 * takes the chat. Null when nobody has room; undefined when the chat stopped waiting meanwhile
 * (closed by its own workflow), so it is left alone.
 */
async function assignNext(tx: Tx, conversationId: string, departmentId: string): Promise<string | null | undefined> {
  const rows = await tx.execute<{ id: string }>(sql`
    select o.id
    from operators o
    join operator_departments od on od.operator_id = o.id and od.department_id = ${departmentId}
    cross join lateral (
      select count(*)::int as open_chats from conversations c
      where c.operator_id = o.id and c.status = 'open'
    ) load
    where o.presence = 'available' and load.open_chats < o.max_concurrent_chats
    order by load.open_chats, o.last_assigned_at nulls first, o.id
    limit 1`);
  const operatorId = rows[0]?.id ?? null;
  if (!operatorId) return null;
  const now = new Date();
  const taken = await tx
    .update(conversations)
    .set({ operatorId, status: 'open', assignedAt: now })
    .where(and(eq(conversations.id, conversationId), eq(conversations.status, 'waiting')))
    .returning({ id: conversations.id });
  if (taken.length === 0) return undefined;
  await tx.update(operators).set({ lastAssignedAt: now }).where(eq(operators.id, operatorId));
  await emitForConversation(tx, conversationId, 'conversation.assigned', { operatorId });
  return operatorId;
}

async function departmentsOf(db: Db, operatorId: string | null): Promise<string[]> {
  return operatorId ? departmentsOfOperator(db, operatorId) : [];
}

type Before = { operatorId: string | null; departmentId: string | null; status: string };

/**
 * Moves a conversation that is not closed, and tells of it (`tell` is given where it was, so those who
 * saw it there hear that it left, and a retried activity that finds it moved already tells nobody twice);
 * the slot it frees is in its previous operator's departments.
 */
async function reassign(
  db: Db,
  conversationId: string,
  set: Partial<typeof conversations.$inferInsert>,
  tell: (tx: Tx, before: Before) => Promise<void>,
): Promise<Freed> {
  const before = await db.transaction(async (tx) => {
    const [was] = await tx
      .select({
        operatorId: conversations.operatorId,
        departmentId: conversations.departmentId,
        status: conversations.status,
      })
      .from(conversations)
      .where(eq(conversations.id, conversationId))
      .for('update');
    const moved = await tx
      .update(conversations)
      .set(set)
      .where(and(eq(conversations.id, conversationId), ne(conversations.status, 'closed')))
      .returning({ id: conversations.id });
    if (was && moved.length) await tell(tx, was);
    return was;
  });
  return { departmentIds: await departmentsOf(db, before?.operatorId ?? null) };
}

type AssignmentActivities = Pick<
  ConversationActivities,
  'assignConversation' | 'closeConversation' | 'requeueConversation' | 'giveToOperator'
>;

export function createConversationActivities({ db }: { db: Db }): AssignmentActivities {
  return {
    /**
     * Gives the conversation to the available operator of its department with free capacity: fewest
     * open chats, then longest since their last assignment. Queue order holds: while an older chat
     * of the department waits, this one keeps waiting.
     */
    async assignConversation({ conversationId }) {
      return db.transaction(async (tx) => {
        const [peek] = await tx
          .select({ orgId: conversations.orgId })
          .from(conversations)
          .where(eq(conversations.id, conversationId));
        if (!peek) throw new Error(`conversation ${conversationId} not found`);
        // Taken before any row lock: a batch below may update other chats' rows.
        await lockAssignments(tx, peek.orgId);
        const [conv] = await tx.select().from(conversations).where(eq(conversations.id, conversationId));
        if (!conv || conv.status !== 'waiting' || !conv.departmentId) return { operatorId: conv?.operatorId ?? null };
        if (conv.numberId && conv.brandId) {
          const [off] = await tx
            .select()
            .from(numberBrandSwitches)
            .where(
              and(
                eq(numberBrandSwitches.numberId, conv.numberId),
                eq(numberBrandSwitches.brandId, conv.brandId),
                eq(numberBrandSwitches.enabled, false),
              ),
            );
          if (off) return { operatorId: null, brandSwitchedOff: true };
        }
        const [first] = await queueHead(tx, conv.departmentId, 1);
        if (first?.id !== conv.id) return { operatorId: null };
        const operatorId = (await assignNext(tx, conv.id, conv.departmentId)) ?? null;
        if (!operatorId) return { operatorId: null };
        // A burst of new chats should not trickle in one workflow round trip at a time: while
        // operators have room, the chats behind this one are assigned here too, in queue order.
        const alsoAssigned: string[] = [];
        for (const next of await queueHead(tx, conv.departmentId, BATCH)) {
          const assigned = await assignNext(tx, next.id, conv.departmentId);
          if (assigned === null) break;
          if (assigned) alsoAssigned.push(next.workflow_id);
        }
        return {
          operatorId,
          alsoAssigned,
          wakeDepartmentId: alsoAssigned.length === BATCH ? conv.departmentId : undefined,
        };
      });
    },

    /**
     * Closes under the customer's lock, which storing their message also takes: a message stored first is
     * seen here and keeps the chat open (its signal is on the way); one stored after opens the next chat.
     */
    async closeConversation({ conversationId, reason, lastInboundAt }) {
      const closedBy = await db.transaction(async (tx) => {
        const [conv] = await tx.select().from(conversations).where(eq(conversations.id, conversationId));
        if (!conv) throw new Error(`conversation ${conversationId} not found`);
        await lockCustomer(tx, conv.numberId ?? conv.channel, conv.customerAddress);
        if (lastInboundAt !== undefined && (await inboundAfter(tx, conversationId, new Date(lastInboundAt)))) {
          return { customerWroteAgain: true, latestInboundAt: conv.lastInboundAt?.toISOString() } as const;
        }
        const [closed] = await tx
          .update(conversations)
          .set({ status: 'closed', closeReason: reason, closedAt: new Date() })
          .where(and(eq(conversations.id, conversationId), ne(conversations.status, 'closed')))
          .returning({ operatorId: conversations.operatorId });
        if (closed) await emitForConversation(tx, conversationId, 'conversation.closed', { reason });
        // Closed already by a task that was lost after writing: its operator's queues are woken again, harmlessly.
        return { operatorId: closed ? closed.operatorId : conv.operatorId };
      });
      if ('customerWroteAgain' in closedBy) return { departmentIds: [], ...closedBy };
      return { departmentIds: await departmentsOf(db, closedBy.operatorId) };
    },

    /** Back to the queue (its operator went offline, or it moved department); it keeps its place by first wait. */
    async requeueConversation({ conversationId, departmentId }) {
      const to = departmentId ? { departmentId } : {};
      const set = { status: 'waiting' as const, operatorId: null, assignedAt: null, ...to };
      return reassign(db, conversationId, set, async (tx, before) => {
        const moved = departmentId !== undefined && departmentId !== before.departmentId;
        if (before.status === 'waiting' && !moved) return;
        if (moved) await emitForConversation(tx, conversationId, 'conversation.transferred', { departmentId }, before);
        const queued = { departmentId: departmentId ?? before.departmentId };
        await emitForConversation(tx, conversationId, 'conversation.queued', queued, before);
      });
    },

    /** A transfer to a named operator: they get it whatever their load, as a person handing it over intends. */
    async giveToOperator({ conversationId, operatorId }) {
      const set = { status: 'open' as const, operatorId, assignedAt: new Date() };
      return reassign(db, conversationId, set, async (tx, before) => {
        if (before.status === 'open' && before.operatorId === operatorId) return;
        await emitForConversation(tx, conversationId, 'conversation.transferred', { operatorId }, before);
      });
    },
  };
}
