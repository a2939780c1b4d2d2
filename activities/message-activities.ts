import { eq } from 'drizzle-orm';
import type { ConversationActivities, OutboundMessage } from '../src/contracts/conversation-contract';
import type { Db } from '../src/db/database';
import { emitForConversation, messageEvent } from '../src/db/queries/event-queries';
import { applyEarlyStatusEvents, lockProviderSid, tellStatus } from '../src/db/queries/message-queries';
import { post } from '../src/db/queries/wallet-queries';
import { conversations, messages, phoneNumbers } from '../src/db/schema';
import { CREDITS_PER_MESSAGE } from '../src/domain/money';
import { outboundMessages } from '../src/metrics';

class InsufficientCredits extends Error {
  constructor(readonly balanceCredits: number) {
    super('insufficient credits');
  }
}

const outbound = (row: typeof messages.$inferSelect, from: string, to: string): OutboundMessage => ({
  messageId: row.id,
  from,
  to,
  status: row.status,
  providerSid: row.providerSid,
  errorCode: row.errorCode,
});

export function createMessageActivities({
  db,
}: {
  db: Db;
}): Pick<ConversationActivities, 'prepareOutbound' | 'recordSkippedMessage' | 'recordSendResult'> {
  return {
    /**
     * Records the reply and debits its credit in one transaction, before anything is sent: the
     * message and its charge exist together or not at all, and a retry (keyed by the request)
     * finds them instead of adding or charging again.
     */
    async prepareOutbound(input) {
      const [conv] = await db
        .select({
          orgId: conversations.orgId,
          channel: conversations.channel,
          customer: conversations.customerAddress,
          number: phoneNumbers.e164,
        })
        .from(conversations)
        .leftJoin(phoneNumbers, eq(phoneNumbers.id, conversations.numberId))
        .where(eq(conversations.id, input.conversationId));
      if (!conv) throw new Error(`conversation ${input.conversationId} not found`);
      const from = conv.number ? `whatsapp:${conv.number}` : '';
      const to = conv.number ? `whatsapp:${conv.customer}` : conv.customer;
      // F14 prices WhatsApp messages; a website or app visitor's replies cost nothing.
      const credits = conv.channel === 'whatsapp' ? CREDITS_PER_MESSAGE : 0;
      try {
        return await db.transaction(async (tx) => {
          const [created] = await tx
            .insert(messages)
            .values({
              orgId: conv.orgId,
              conversationId: input.conversationId,
              direction: 'outbound',
              body: input.body,
              attachments: input.mediaUrl ? [{ url: input.mediaUrl, contentType: '' }] : [],
              requestId: input.requestId,
              operatorId: input.operatorId,
              status: 'pending',
              creditsCharged: credits,
            })
            .onConflictDoNothing({ target: messages.requestId })
            .returning();
          if (!created) {
            const [row] = await tx.select().from(messages).where(eq(messages.requestId, input.requestId));
            return { outcome: 'ready', message: outbound(row!, from, to), orgId: conv.orgId, lowBalance: false };
          }
          await emitForConversation(tx, input.conversationId, 'message.created', { message: messageEvent(created) });
          if (credits === 0)
            return { outcome: 'ready', message: outbound(created, from, to), orgId: conv.orgId, lowBalance: false };
          const debit = await post(tx, {
            orgId: conv.orgId,
            kind: 'message_debit',
            credits: -credits,
            idempotencyKey: `message:${created.id}`,
            reference: created.id,
          });
          if (!debit.ok) throw new InsufficientCredits(debit.balanceCredits);
          return {
            outcome: 'ready',
            message: outbound(created, from, to),
            orgId: conv.orgId,
            lowBalance: debit.belowRefillThreshold,
          };
        });
      } catch (err) {
        // Thrown inside the transaction so the message row rolls back with the refused debit.
        if (err instanceof InsufficientCredits)
          return { outcome: 'insufficient_points', balanceCredits: err.balanceCredits };
        throw err;
      }
    },

    /** A notice that could not be paid for: kept, so the conversation shows it was due and why it was not sent. */
    async recordSkippedMessage(input) {
      const [conv] = await db
        .select({ orgId: conversations.orgId })
        .from(conversations)
        .where(eq(conversations.id, input.conversationId));
      await db.transaction(async (tx) => {
        const [skipped] = await tx
          .insert(messages)
          .values({
            orgId: conv!.orgId,
            conversationId: input.conversationId,
            direction: 'outbound',
            body: input.body,
            requestId: input.requestId,
            status: 'failed',
            errorCode: input.reason,
            errorMessage: 'Not sent: not enough points',
            creditsCharged: 0,
          })
          .onConflictDoNothing({ target: messages.requestId })
          .returning();
        // A retried activity finds the message there and tells nobody twice.
        if (skipped)
          await emitForConversation(tx, input.conversationId, 'message.created', { message: messageEvent(skipped) });
      });
      outboundMessages.inc({ status: 'skipped' });
    },

    /** Stores what Twilio answered; a message it refused outright (no SID) gets its credit back. */
    async recordSendResult(result) {
      const recorded = await db.transaction(async (tx) => {
        if (result.providerSid) await lockProviderSid(tx, result.providerSid);
        const [before] = await tx
          .select({ status: messages.status })
          .from(messages)
          .where(eq(messages.id, result.messageId))
          .for('update');
        const refunded = result.status === 'failed' && !result.providerSid;
        const [row] = await tx
          .update(messages)
          .set({
            providerSid: result.providerSid,
            status: result.status,
            errorCode: result.errorCode,
            errorMessage: result.errorMessage,
            statusUpdatedAt: new Date(),
            ...(refunded ? { creditsCharged: 0 } : {}),
          })
          .where(eq(messages.id, result.messageId))
          .returning();
        if (!row) throw new Error(`message ${result.messageId} vanished`);
        // A retried activity writes the same status again: told once, when it changed.
        if (before?.status !== row.status) await tellStatus(tx, row);
        if (refunded) {
          await post(tx, {
            orgId: row.orgId,
            kind: 'refund',
            credits: CREDITS_PER_MESSAGE,
            idempotencyKey: `refund:${row.id}`,
            reference: row.id,
          });
        }
        if (result.providerSid) await applyEarlyStatusEvents(tx, result.providerSid);
        const [latest] = await tx.select().from(messages).where(eq(messages.id, result.messageId));
        return outbound(latest!, '', '');
      });
      outboundMessages.inc({ status: result.status });
      return recorded;
    },
  };
}
