import { and, eq, isNull, max, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../database';
import { conversationWorkflowId, type Channel } from '../../contracts/conversation-contract';
import type { Attachment } from '../../domain/attachments';
import { conversations, messages, phoneNumbers } from '../schema';
import { emitForConversation, messageEvent } from './event-queries';

export interface InboundInput {
  /** Twilio's MessageSid, or our own id for a visitor's message: the dedupe key either way. */
  providerSid: string;
  customerAddress: string;
  customerName?: string;
  body: string;
  attachments: Attachment[];
  receivedAt: Date;
}

export type Conversation = typeof conversations.$inferSelect;

export interface InboundRecorded {
  conversation: Conversation;
  messageId: string;
  /** When the message first arrived: a replayed webhook keeps it, so it moves no deadline. */
  receivedAt: Date;
  duplicate: boolean;
}

/** Where a customer's message lands: a WhatsApp number, or a web/app visitor channel (no number). */
export interface InboundRoute {
  orgId: string;
  numberId: string | null;
  channel: Channel;
  brandId: string | null;
  departmentId: string | null;
}

export const whatsappRoute = (number: typeof phoneNumbers.$inferSelect): InboundRoute => ({
  orgId: number.orgId,
  numberId: number.id,
  channel: 'whatsapp',
  brandId: number.brandId,
  departmentId: number.departmentId,
});

export async function findActiveNumber(db: Db, e164: string) {
  const [number] = await db
    .select()
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.e164, e164), eq(phoneNumbers.status, 'active')));
  return number;
}

/**
 * Serialises what happens to one customer's conversation on one number (or visitor channel) to the end
 * of `tx`: two first messages cannot open two conversations, and a message and a close cannot cross.
 */
export async function lockCustomer(tx: Tx, place: string, customerAddress: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`inbound:${place}:${customerAddress}`}))`);
}

/** A new conversation waits in its department's queue: both are told, with the customer's message after. */
async function tellOpened(tx: Tx, conversation: Conversation) {
  const { id, channel, customerAddress, customerName, numberId, brandId, departmentId } = conversation;
  const summary = { id, channel, customerAddress, customerName, numberId, brandId, departmentId, status: 'waiting' };
  await emitForConversation(tx, id, 'conversation.created', { conversation: summary });
  await emitForConversation(tx, id, 'conversation.queued', { departmentId });
}

/**
 * Stores a customer's message in their open conversation on the number (opening one if needed).
 * A MessageSid seen before returns the stored message: Twilio retries webhooks.
 */
export async function recordInbound(db: Db, route: InboundRoute, input: InboundInput): Promise<InboundRecorded> {
  const place = route.numberId ?? route.channel;
  return db.transaction(async (tx) => {
    await lockCustomer(tx, place, input.customerAddress);
    const [seen] = await tx.select().from(messages).where(eq(messages.providerSid, input.providerSid));
    if (seen) {
      const [conversation] = await tx.select().from(conversations).where(eq(conversations.id, seen.conversationId));
      return { conversation: conversation!, messageId: seen.id, receivedAt: seen.createdAt, duplicate: true };
    }
    const customer = and(
      eq(conversations.orgId, route.orgId),
      route.numberId ? eq(conversations.numberId, route.numberId) : isNull(conversations.numberId),
      eq(conversations.customerAddress, input.customerAddress),
    );
    let [conversation] = await tx
      .select()
      .from(conversations)
      .where(and(customer, ne(conversations.status, 'closed')));
    const opened = !conversation;
    if (!conversation) {
      const [last] = await tx
        .select({ seq: max(conversations.seq) })
        .from(conversations)
        .where(customer);
      const seq = (last?.seq ?? 0) + 1;
      [conversation] = await tx
        .insert(conversations)
        .values({
          orgId: route.orgId,
          channel: route.channel,
          numberId: route.numberId,
          customerAddress: input.customerAddress,
          customerName: input.customerName,
          seq,
          workflowId: conversationWorkflowId(place, input.customerAddress, seq),
          brandId: route.brandId,
          departmentId: route.departmentId,
        })
        .returning();
    }
    if (!conversation) throw new Error('conversation insert returned nothing');
    const [message] = await tx
      .insert(messages)
      .values({
        orgId: route.orgId,
        conversationId: conversation.id,
        direction: 'inbound',
        body: input.body,
        attachments: input.attachments,
        providerSid: input.providerSid,
        status: 'received',
        createdAt: input.receivedAt,
      })
      .returning();
    if (opened) await tellOpened(tx, conversation);
    await emitForConversation(tx, conversation.id, 'message.created', { message: messageEvent(message!) });
    [conversation] = await tx
      .update(conversations)
      // The clock was read before the lock: of two messages racing in, the later-stamped may be stored first,
      // and the customer's latest time (the 24-hour window, the idle deadline) must not move back.
      .set({
        lastInboundAt: sql`greatest(${conversations.lastInboundAt}, ${input.receivedAt.toISOString()}::timestamptz)`,
        customerName: input.customerName ?? conversation.customerName,
      })
      .where(eq(conversations.id, conversation.id))
      .returning();
    return { conversation: conversation!, messageId: message!.id, receivedAt: input.receivedAt, duplicate: false };
  });
}
