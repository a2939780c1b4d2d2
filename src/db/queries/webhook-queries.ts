import { and, eq, lt, ne, sql } from 'drizzle-orm';
import type { EventPosition, EventType } from '../../domain/events';
import type { Tx } from '../database';
import { webhookDeliveries, webhookEndpoints } from '../schema';
import { keyset, pageOf, type PageRequest } from './keyset-pages';

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

export async function createEndpoint(
  tx: Tx,
  endpoint: Pick<
    WebhookEndpoint,
    'id' | 'orgId' | 'url' | 'description' | 'eventTypes' | 'secretSealed' | 'secretPrefix'
  >,
  from: EventPosition,
): Promise<WebhookEndpoint> {
  const [row] = await tx
    .insert(webhookEndpoints)
    .values({ ...endpoint, cursorTxid: from.txid, cursorId: from.id })
    .returning();
  return row!;
}

/** The organisation's endpoint, unless deleted. */
export async function endpointOfOrg(tx: Tx, orgId: string, id: string): Promise<WebhookEndpoint | undefined> {
  const [row] = await tx
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId), ne(webhookEndpoints.status, 'deleted')));
  return row;
}

export async function endpointById(tx: Tx, id: string): Promise<WebhookEndpoint | undefined> {
  const [row] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row;
}

/** The organisation's endpoints, oldest first, deleted ones left out (in the query: pages stay full). */
export async function endpointsPage(tx: Tx, orgId: string, page: PageRequest) {
  const { past, orderBy, cursorFields } = keyset(
    webhookEndpoints.createdAt,
    webhookEndpoints.id,
    'oldest_first',
    page.cursor,
  );
  const rows = await tx
    .select({ row: webhookEndpoints, ...cursorFields })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), ne(webhookEndpoints.status, 'deleted'), past))
    .orderBy(...orderBy)
    .limit(page.limit + 1);
  const { items, nextCursor } = pageOf(rows, page.limit);
  return { items: items.map(({ row }) => row), nextCursor };
}

export async function updateEndpoint(
  tx: Tx,
  orgId: string,
  id: string,
  set: Partial<
    Pick<
      WebhookEndpoint,
      'url' | 'description' | 'eventTypes' | 'secretSealed' | 'secretPrefix' | 'status' | 'disabledReason'
    >
  > &
    Partial<{ cursor: EventPosition }>,
): Promise<WebhookEndpoint | undefined> {
  const { cursor, ...columns } = set;
  const [row] = await tx
    .update(webhookEndpoints)
    .set({ ...columns, ...(cursor ? { cursorTxid: cursor.txid, cursorId: cursor.id } : {}) })
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, orgId), ne(webhookEndpoints.status, 'deleted')))
    .returning();
  return row;
}

/** Passes over events the endpoint does not want: its cursor moves, nothing is recorded. */
export async function moveCursor(tx: Tx, endpointId: string, to: EventPosition): Promise<void> {
  await tx
    .update(webhookEndpoints)
    .set({ cursorTxid: to.txid, cursorId: to.id })
    .where(eq(webhookEndpoints.id, endpointId));
}

/** One attempt at one event: what the endpoint answered, and when. */
export interface Attempt {
  event: EventPosition & { type: EventType };
  statusCode: number | null;
  error: string | null;
  at: Date;
}

/**
 * Attempts at an endpoint's events, in order, each counted on its event's delivery row; the cursor moves past
 * the last one taken in the same transaction, so a delivery is recorded exactly when the cursor passes it.
 * Recorded a few at a time: a worker that dies first sends those again, with the ids they had.
 */
export async function recordAttempts(tx: Tx, endpointId: string, attempts: Attempt[]): Promise<void> {
  if (!attempts.length) return;
  const excluded = (column: string) => sql.raw(`excluded.${column}`);
  await tx
    .insert(webhookDeliveries)
    .values(
      attempts.map((a) => ({
        endpointId,
        eventId: a.event.id,
        eventType: a.event.type,
        attempts: 1,
        lastStatusCode: a.statusCode,
        lastError: a.error,
        lastAttemptAt: a.at,
        deliveredAt: a.error === null ? a.at : null,
      })),
    )
    .onConflictDoUpdate({
      target: [webhookDeliveries.endpointId, webhookDeliveries.eventId],
      set: {
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastStatusCode: excluded('last_status_code'),
        lastError: excluded('last_error'),
        lastAttemptAt: excluded('last_attempt_at'),
        nextAttemptAt: null,
        deliveredAt: excluded('delivered_at'),
      },
    });
  const taken = attempts.filter((a) => a.error === null).at(-1);
  if (taken) await moveCursor(tx, endpointId, taken.event);
}

/** When the event that failed last is tried again, for the admin to see. */
export async function noteNextAttempt(tx: Tx, endpointId: string, at: Date): Promise<void> {
  await tx.execute(sql`
    update webhook_deliveries set next_attempt_at = ${at.toISOString()}::timestamptz
    where id = (select id from webhook_deliveries where endpoint_id = ${endpointId} and delivered_at is null
                order by last_attempt_at desc nulls last limit 1)`);
}

/** The endpoint's deliveries, newest first. */
export async function deliveriesPage(tx: Tx, endpointId: string, page: PageRequest) {
  const { past, orderBy, cursorFields } = keyset(
    webhookDeliveries.createdAt,
    webhookDeliveries.id,
    'newest_first',
    page.cursor,
  );
  const rows = await tx
    .select({ row: webhookDeliveries, ...cursorFields })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), past))
    .orderBy(...orderBy)
    .limit(page.limit + 1);
  const { items, nextCursor } = pageOf(rows, page.limit);
  return { items: items.map(({ row }) => row), nextCursor };
}

/** Given up on after failing too long: nothing is delivered until an admin enables it again. */
export async function disableEndpoint(tx: Tx, endpointId: string, reason: string): Promise<void> {
  await tx
    .update(webhookEndpoints)
    .set({ status: 'disabled', disabledReason: reason })
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.status, 'enabled')));
}

/** Forgets deliveries older than the events they delivered, which retention removes too. */
export async function pruneDeliveries(tx: Tx, olderThan: Date): Promise<void> {
  await tx.delete(webhookDeliveries).where(lt(webhookDeliveries.createdAt, olderThan));
}
