import { and, eq, inArray } from 'drizzle-orm';
import { latestStatus, statusesBelow } from '../../domain/message-status';
import type { Tx } from '../client';
import { messages, messageStatusEvents, type MessageStatus } from '../schema';

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
    .returning({ id: messages.id });
  return moved.length > 0;
}

/** Records a status callback, then applies it if its message is known. */
export async function recordStatusEvent(
  tx: Tx,
  event: { providerSid: string; status: MessageStatus; errorCode: string | null },
): Promise<{ known: boolean; moved: boolean }> {
  await tx.insert(messageStatusEvents).values(event).onConflictDoNothing();
  const [known] = await tx.select({ id: messages.id }).from(messages).where(eq(messages.providerSid, event.providerSid));
  if (!known) return { known: false, moved: false };
  return { known: true, moved: await advanceMessageStatus(tx, event.providerSid, event.status, event.errorCode) };
}

/** Applies callbacks that arrived before the SID was stored. */
export async function applyEarlyStatusEvents(tx: Tx, providerSid: string): Promise<void> {
  const events = await tx.select().from(messageStatusEvents).where(eq(messageStatusEvents.providerSid, providerSid));
  const best = latestStatus(events.map((e) => e.status));
  if (!best) return;
  const errorCode = events.find((e) => e.status === best)?.errorCode ?? null;
  await advanceMessageStatus(tx, providerSid, best, errorCode);
}
