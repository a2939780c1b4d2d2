import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../database';
import { conversations, messages, visitorSessions } from '../schema';
import { exactTime } from './exact-time';

export type VisitorSession = typeof visitorSessions.$inferSelect;

/** A visitor is a customer whose address is their session. */
export const visitorAddress = (session: Pick<VisitorSession, 'id'>) => `visitor:${session.id}`;

export async function createVisitorSession(
  tx: Tx,
  session: Pick<VisitorSession, 'orgId' | 'channel' | 'brandId' | 'departmentId' | 'displayName' | 'tokenHash'>,
  ttlSeconds: number,
) {
  const [row] = await tx
    .insert(visitorSessions)
    .values({ ...session, expiresAt: sql`now() + make_interval(secs => ${ttlSeconds})` })
    .returning({
      id: visitorSessions.id,
      channel: visitorSessions.channel,
      createdAt: visitorSessions.createdAt,
      expiresAt: visitorSessions.expiresAt,
    });
  return row!;
}

/** The session a token opens: not expired, not revoked. */
export async function sessionByTokenHash(tx: Tx, tokenHash: string): Promise<VisitorSession | undefined> {
  const [session] = await tx
    .select()
    .from(visitorSessions)
    .where(
      and(
        eq(visitorSessions.tokenHash, tokenHash),
        isNull(visitorSessions.revokedAt),
        gt(visitorSessions.expiresAt, sql`now()`),
      ),
    );
  return session;
}

/** False when the organisation has no such session still open. */
export async function revokeVisitorSession(tx: Tx, orgId: string, id: string): Promise<boolean> {
  const revoked = await tx
    .update(visitorSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(visitorSessions.id, id), eq(visitorSessions.orgId, orgId), isNull(visitorSessions.revokedAt)))
    .returning({ id: visitorSessions.id });
  return revoked.length > 0;
}

/**
 * Every message of the visitor's conversations created after `after` (ISO 8601, to the microsecond), oldest
 * first, each with its exact time: a cursor cut to the millisecond would find its own last message again.
 */
export async function visitorMessagesAfter(tx: Tx, session: VisitorSession, after: string) {
  const mine = tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.customerAddress, visitorAddress(session)));
  return tx
    .select({
      id: messages.id,
      direction: messages.direction,
      body: messages.body,
      createdAt: messages.createdAt,
      cursor: exactTime(messages.createdAt),
    })
    .from(messages)
    .where(and(inArray(messages.conversationId, mine), gt(messages.createdAt, sql`${after}::timestamptz`)))
    .orderBy(asc(messages.createdAt));
}
