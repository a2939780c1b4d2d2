import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import type { Tx } from '../database';
import { conversations, messages, visitorSessions } from '../schema';

export type VisitorSession = typeof visitorSessions.$inferSelect;

/** A visitor is a customer whose address is their session. */
export const visitorAddress = (session: Pick<VisitorSession, 'id'>) => `visitor:${session.id}`;

export async function createVisitorSession(
  tx: Tx,
  session: Pick<VisitorSession, 'orgId' | 'channel' | 'brandId' | 'departmentId' | 'displayName' | 'tokenHash'>,
) {
  const [row] = await tx
    .insert(visitorSessions)
    .values(session)
    .returning({ id: visitorSessions.id, channel: visitorSessions.channel, createdAt: visitorSessions.createdAt });
  return row!;
}

export async function sessionByTokenHash(tx: Tx, tokenHash: string): Promise<VisitorSession | undefined> {
  const [session] = await tx.select().from(visitorSessions).where(eq(visitorSessions.tokenHash, tokenHash));
  return session;
}

/** Every message of the visitor's conversations after `after`, oldest first. */
export async function visitorMessagesAfter(tx: Tx, session: VisitorSession, after: Date) {
  const mine = tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.customerAddress, visitorAddress(session)));
  return tx
    .select({ id: messages.id, direction: messages.direction, body: messages.body, createdAt: messages.createdAt })
    .from(messages)
    .where(and(inArray(messages.conversationId, mine), gt(messages.createdAt, after)))
    .orderBy(asc(messages.createdAt));
}
