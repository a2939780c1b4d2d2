import { and, asc, desc, eq, gt, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../database';
import { conversations, messages, operatorDepartments } from '../schema';
import { keyset, pageOf, type PageRequest } from './keyset-pages';

/** Who is looking: an admin sees the whole organisation; an operator their departments' chats and their own. */
export interface Viewer {
  orgId: string;
  role: 'admin' | 'operator';
  operatorId: string | null;
}

async function visibility(db: Db, viewer: Viewer): Promise<SQL | undefined> {
  const org = eq(conversations.orgId, viewer.orgId);
  if (viewer.role === 'admin' || !viewer.operatorId) return org;
  const depts = await db
    .select({ id: operatorDepartments.departmentId })
    .from(operatorDepartments)
    .where(eq(operatorDepartments.operatorId, viewer.operatorId));
  const mine = eq(conversations.operatorId, viewer.operatorId);
  const ids = depts.map((d) => d.id);
  return and(org, ids.length ? or(mine, inArray(conversations.departmentId, ids)) : mine);
}

export interface ConversationFilter extends PageRequest {
  status?: 'waiting' | 'open' | 'closed';
  channel?: 'whatsapp' | 'web' | 'app';
  departmentId?: string;
  operatorId?: string;
}

/**
 * Newest first by when each conversation started: its last message's time would move a chat between pages
 * while a client walks them, skipping or repeating it.
 */
export async function conversationsPage(db: Db, viewer: Viewer, filter: ConversationFilter) {
  const { past, orderBy, cursorFields } = keyset(
    conversations.createdAt,
    conversations.id,
    'newest_first',
    filter.cursor,
  );
  const rows = await db
    .select({ conversation: conversations, ...cursorFields })
    .from(conversations)
    .where(
      and(
        await visibility(db, viewer),
        filter.status ? eq(conversations.status, filter.status) : undefined,
        filter.channel ? eq(conversations.channel, filter.channel) : undefined,
        filter.departmentId ? eq(conversations.departmentId, filter.departmentId) : undefined,
        filter.operatorId ? eq(conversations.operatorId, filter.operatorId) : undefined,
        past,
      ),
    )
    .orderBy(...orderBy)
    .limit(filter.limit + 1);
  const { items, nextCursor } = pageOf(rows, filter.limit);
  return { items: items.map((r) => r.conversation), nextCursor };
}

export async function findVisibleConversation(db: Db, viewer: Viewer, id: string) {
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(and(await visibility(db, viewer), eq(conversations.id, id)));
  return conversation;
}

export type Message = typeof messages.$inferSelect;

export async function messageInConversation(
  db: Db,
  conversationId: string,
  messageId: string,
): Promise<Message | undefined> {
  const [message] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.conversationId, conversationId)));
  return message;
}

/**
 * The latest messages before the cursor, as a chat shows them (oldest first); `nextCursor` leads to the ones
 * before them.
 */
export async function messagesPage(db: Db, conversationId: string, page: PageRequest) {
  const { past, orderBy, cursorFields } = keyset(messages.createdAt, messages.id, 'newest_first', page.cursor);
  const rows = await db
    .select({ message: messages, ...cursorFields })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), past))
    .orderBy(...orderBy)
    .limit(page.limit + 1);
  const { items, nextCursor } = pageOf(rows, page.limit);
  return { items: items.map((r) => r.message).reverse(), nextCursor };
}

/** Where a waiting chat stands in its department's queue. */
export async function queuePosition(db: Db, conversation: { departmentId: string | null; queuedAt: Date }) {
  if (!conversation.departmentId) return undefined;
  const [row] = await db.execute<{ ahead: number }>(sql`
    select count(*)::int as ahead from conversations
    where department_id = ${conversation.departmentId} and status = 'waiting' and queued_at < ${conversation.queuedAt.toISOString()}`);
  return {
    position: (row?.ahead ?? 0) + 1,
    waitingSeconds: Math.max(0, Math.round((Date.now() - conversation.queuedAt.getTime()) / 1000)),
  };
}

/** A returning customer's earlier conversations on the same number, newest first. */
export async function earlierConversations(
  db: Db,
  conversation: { numberId: string | null; customerAddress: string; seq: number },
) {
  if (!conversation.numberId) return [];
  return db
    .select({
      id: conversations.id,
      seq: conversations.seq,
      status: conversations.status,
      closeReason: conversations.closeReason,
      createdAt: conversations.createdAt,
      closedAt: conversations.closedAt,
    })
    .from(conversations)
    .where(
      and(
        eq(conversations.numberId, conversation.numberId),
        eq(conversations.customerAddress, conversation.customerAddress),
        lt(conversations.seq, conversation.seq),
      ),
    )
    .orderBy(desc(conversations.seq));
}

/** The operator's open chats nobody has answered yet: they go back to the queue when the operator leaves. */
export async function unansweredOpenConversations(tx: Tx, operatorId: string): Promise<string[]> {
  const rows = await tx.execute<{ workflow_id: string }>(sql`
    select c.workflow_id from conversations c
    where c.operator_id = ${operatorId} and c.status = 'open'
      and not exists (
        select 1 from messages m
        where m.conversation_id = c.id and m.direction = 'outbound' and m.operator_id is not null and m.status <> 'failed')`);
  return rows.map((r) => r.workflow_id);
}

/** The workflows of the departments' oldest waiting chats, in queue order. */
export async function oldestWaiting(db: Db, departmentIds: string[], perDepartment: number): Promise<string[]> {
  const rows = await db
    .select({ workflowId: conversations.workflowId })
    .from(conversations)
    .where(and(inArray(conversations.departmentId, departmentIds), eq(conversations.status, 'waiting')))
    .orderBy(asc(conversations.queuedAt))
    .limit(perDepartment * departmentIds.length);
  return rows.map((r) => r.workflowId);
}

/** Chats on the number held back while its brand was switched off (F15). */
export async function waitingOnBrand(db: Db, numberId: string, brandId: string): Promise<string[]> {
  const rows = await db
    .select({ workflowId: conversations.workflowId })
    .from(conversations)
    .where(
      and(
        eq(conversations.numberId, numberId),
        eq(conversations.brandId, brandId),
        eq(conversations.status, 'waiting'),
      ),
    );
  return rows.map((r) => r.workflowId);
}

/**
 * One assignment per organisation at a time, so two chats cannot both take an operator's last free
 * slot, and no chat is given to an operator whose presence is changing. Held to the end of `tx`.
 */
export async function lockAssignments(tx: Tx, orgId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'assign:' + orgId}))`);
}

/** Whether the customer wrote on the conversation after `after`. */
export async function inboundAfter(tx: Tx, conversationId: string, after: Date): Promise<boolean> {
  const [newer] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        eq(messages.direction, 'inbound'),
        gt(messages.createdAt, after),
      ),
    )
    .limit(1);
  return newer !== undefined;
}
