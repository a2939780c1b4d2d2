import { sql } from 'drizzle-orm';
import type { EventPosition, EventType } from '../../domain/events';
import type { Db, Tx } from '../database';
import { events } from '../schema';

/** The NOTIFY channel: its payload is the organisation, whose readers then look. */
export const EVENTS_CHANNEL = 'switchboard_events';

export type StoredEvent = typeof events.$inferSelect;

/**
 * Tells the organisation's listeners at commit (NOTIFY is held until then, and dropped on rollback): event
 * streams and webhook deliveries look at the log again. Also what an endpoint's change (a replay, a new
 * URL) uses to stop its delivery waiting for news.
 */
export const notify = (tx: Tx, orgId: string) => tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${orgId})`);

/** An organisation-wide event (wallet, numbers, onboarding): its admins see it. Call in the change's transaction. */
export async function emit(tx: Tx, orgId: string, type: EventType, data: Record<string, unknown>): Promise<void> {
  await tx.insert(events).values({ orgId, type, data });
  await notify(tx, orgId);
}

/**
 * An event about a conversation, as it stands in this transaction: its department's operators and its
 * operator see it, and so do `also` (where it came from, on a transfer). Call in the change's transaction.
 */
export async function emitForConversation(
  tx: Tx,
  conversationId: string,
  type: EventType,
  data: Record<string, unknown>,
  also: { departmentId?: string | null; operatorId?: string | null } = {},
): Promise<void> {
  const [row] = await tx.execute<{ org_id: string }>(sql`
    insert into events (org_id, type, conversation_id, department_ids, operator_ids, data)
    select c.org_id, ${type}, c.id,
      array_remove(array[c.department_id, ${also.departmentId ?? null}::uuid], null),
      array_remove(array[c.operator_id, ${also.operatorId ?? null}::uuid], null),
      ${JSON.stringify({ conversationId, ...data })}::jsonb
    from conversations c where c.id = ${conversationId}
    returning org_id`);
  if (!row) throw new Error(`no conversation ${conversationId} to tell of`);
  await notify(tx, row.org_id);
}

/** Who reads: an admin sees the organisation's events; an operator those of their departments and chats. */
export interface EventReader {
  orgId: string;
  operatorId: string | null;
}

/** Below this, every transaction has ended: no event can still appear there. */
const HORIZON = sql`pg_snapshot_xmin(pg_current_snapshot())::text::bigint`;

function visibleTo(reader: EventReader) {
  if (!reader.operatorId) return sql`true`;
  return sql`(${events.operatorIds} @> array[${reader.operatorId}::uuid]
    or ${events.departmentIds} && array(select department_id from operator_departments where operator_id = ${reader.operatorId}))`;
}

/**
 * The reader's next events after `after`, in log order, and whether later ones wait behind a transaction
 * still open (the caller looks again soon instead of waiting for the next notification).
 */
export async function eventsAfter(db: Db, reader: EventReader, after: EventPosition, limit: number) {
  const rows = await db
    .select()
    .from(events)
    .where(
      sql`${events.orgId} = ${reader.orgId} and (${events.txid}, ${events.id}) > (${after.txid}, ${after.id})
        and ${events.txid} < ${HORIZON} and ${visibleTo(reader)}`,
    )
    .orderBy(events.txid, events.id)
    .limit(limit);
  const last = rows.at(-1) ?? after;
  const [pending] = await db.execute<{ waiting: boolean }>(sql`
    select exists (select 1 from events where org_id = ${reader.orgId}
      and (txid, id) > (${last.txid}, ${last.id}) and txid >= ${HORIZON}) as waiting`);
  return { events: rows, behindOpenTransaction: pending?.waiting ?? false };
}

/** Where the log ends now for the organisation: a reader starting here sees only what happens next. */
export async function latestPosition(db: Db, orgId: string): Promise<EventPosition> {
  const [row] = await db.execute<{ txid: string; id: string }>(sql`
    select txid, id from events where org_id = ${orgId} and txid < ${HORIZON} order by txid desc, id desc limit 1`);
  return row ? { txid: Number(row.txid), id: Number(row.id) } : { txid: 0, id: 0 };
}

/** Forgets events older than the retention period, a bounded batch at a time; returns how many went. */
export async function pruneEvents(db: Db, olderThan: Date, batch = 10_000): Promise<number> {
  const gone = await db.execute(sql`
    delete from events where id in (select id from events where created_at < ${olderThan.toISOString()}::timestamptz limit ${batch})`);
  return gone.count;
}

/** A message as its `message.created` event carries it: what a desk shows in the chat (no provider URLs). */
export function messageEvent(m: {
  id: string;
  direction: string;
  body: string;
  status: string;
  operatorId?: string | null;
  attachments: unknown[];
  createdAt: Date;
}) {
  const { id, direction, body, status, operatorId, createdAt } = m;
  return { id, direction, body, status, operatorId: operatorId ?? null, attachments: m.attachments.length, createdAt };
}

/** Where the organisation's event stands in the log, if it is still kept. */
export async function eventPosition(db: Tx, orgId: string, id: number): Promise<EventPosition | undefined> {
  const [row] = await db
    .select({ txid: events.txid, id: events.id })
    .from(events)
    .where(sql`${events.orgId} = ${orgId} and ${events.id} = ${id}`);
  return row;
}
