import { and, eq, inArray, sql } from 'drizzle-orm';
import { latestStatus, statusesBelow, type MessageStatus } from '../../domain/message-status';
import type { Tx } from '../database';
import { conversations, messages, messageStatusEvents } from '../schema';
import { emitForConversation } from './event-queries';

/** Moves a message forward along its delivery path; never backwards. Returns whether it moved. */
export async function advanceMessageStatus(
  tx: Tx,
  providerSid: string,
  status: MessageStatus,
  errorCode: string | null,
): Promise<boolean> {
  const moved = await tx
    .update(messages)
    .set({ status, errorCode: errorCode ?? undefined, statusUpdatedAt: new Date() })
    .where(and(eq(messages.providerSid, providerSid), inArray(messages.status, statusesBelow(status))))
    .returning({ id: messages.id, conversationId: messages.conversationId, errorCode: messages.errorCode });
  for (const m of moved) await tellStatus(tx, { ...m, status });
  return moved.length > 0;
}

/** `message.status_changed`: a message moved along its delivery path (or failed). */
export async function tellStatus(
  tx: Tx,
  m: { id: string; conversationId: string; status: string; errorCode: string | null },
): Promise<void> {
  const data = { messageId: m.id, status: m.status, errorCode: m.errorCode };
  await emitForConversation(tx, m.conversationId, 'message.status_changed', data);
}

/**
 * Taken by both a status callback and the recording of a send's SID: without it, a callback
 * could miss the message (SID not yet stored) while the recording misses the callback (not yet
 * committed), and the status would be lost.
 */
export async function lockProviderSid(tx: Tx, providerSid: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sid:${providerSid}`}))`);
}

/**
 * Records a status callback from `orgId`'s subaccount, then applies it if its message is known. A message
 * of another organisation is `foreign`: nothing is recorded. Call inside a transaction.
 */
export async function recordStatusEvent(
  tx: Tx,
  event: { providerSid: string; status: MessageStatus; errorCode: string | null },
  orgId: string,
): Promise<{ known: boolean; moved: boolean; foreign: boolean }> {
  await lockProviderSid(tx, event.providerSid);
  const [known] = await tx
    .select({ orgId: conversations.orgId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(eq(messages.providerSid, event.providerSid));
  if (known && known.orgId !== orgId) return { known: true, moved: false, foreign: true };
  await tx.insert(messageStatusEvents).values(event).onConflictDoNothing();
  if (!known) return { known: false, moved: false, foreign: false };
  const moved = await advanceMessageStatus(tx, event.providerSid, event.status, event.errorCode);
  return { known: true, moved, foreign: false };
}

/** Applies callbacks that arrived before the SID was stored. Call inside a transaction. */
export async function applyEarlyStatusEvents(tx: Tx, providerSid: string): Promise<void> {
  await lockProviderSid(tx, providerSid);
  const events = await tx.select().from(messageStatusEvents).where(eq(messageStatusEvents.providerSid, providerSid));
  const best = latestStatus(events.map((e) => e.status));
  if (!best) return;
  const errorCode = events.find((e) => e.status === best)?.errorCode ?? null;
  await advanceMessageStatus(tx, providerSid, best, errorCode);
}

/** A message as a resent send needs it: since when it exists, so nothing older is taken for it. */
export async function outboundSendState(db: Tx, messageId: string) {
  const [row] = await db.select({ createdAt: messages.createdAt }).from(messages).where(eq(messages.id, messageId));
  return row;
}

/** Which of these provider SIDs already belong to one of our messages. */
export async function recordedProviderSids(db: Tx, sids: string[]): Promise<Set<string>> {
  if (!sids.length) return new Set();
  const rows = await db.select({ sid: messages.providerSid }).from(messages).where(inArray(messages.providerSid, sids));
  return new Set(rows.map((r) => r.sid!));
}
