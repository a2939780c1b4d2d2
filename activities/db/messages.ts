import { eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client';
import { applyEarlyStatusEvents, lockProviderSid } from '../../src/db/queries/messages';
import { conversations, messages, phoneNumbers, type MessageStatus } from '../../src/db/schema';

export interface PrepareOutboundInput {
  conversationId: string;
  requestId: string;
  operatorId: string | null;
  body: string;
  mediaUrl?: string;
}

export interface OutboundMessage {
  messageId: string;
  from: string;
  to: string;
  status: MessageStatus;
  providerSid: string | null;
  errorCode: string | null;
}

export interface SendResult {
  messageId: string;
  providerSid: string | null;
  status: MessageStatus;
  errorCode: string | null;
  errorMessage: string | null;
}

export function createMessageActivities({ db }: { db: Db }) {
  return {
    /** Records the reply before sending, keyed by the request, so a retry finds it instead of adding one. */
    async prepareOutbound(input: PrepareOutboundInput): Promise<OutboundMessage> {
      const [conv] = await db
        .select({ orgId: conversations.orgId, customer: conversations.customerAddress, number: phoneNumbers.e164 })
        .from(conversations)
        .innerJoin(phoneNumbers, eq(phoneNumbers.id, conversations.numberId))
        .where(eq(conversations.id, input.conversationId));
      if (!conv) throw new Error(`conversation ${input.conversationId} has no WhatsApp number`);
      await db
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
        })
        .onConflictDoNothing({ target: messages.requestId });
      const [row] = await db.select().from(messages).where(eq(messages.requestId, input.requestId));
      if (!row) throw new Error(`message for request ${input.requestId} vanished`);
      return {
        messageId: row.id,
        from: `whatsapp:${conv.number}`,
        to: `whatsapp:${conv.customer}`,
        status: row.status,
        providerSid: row.providerSid,
        errorCode: row.errorCode,
      };
    },

    async recordSendResult(result: SendResult): Promise<OutboundMessage> {
      return db.transaction(async (tx) => {
        if (result.providerSid) await lockProviderSid(tx, result.providerSid);
        await tx
          .update(messages)
          .set({
            providerSid: result.providerSid,
            status: result.status,
            errorCode: result.errorCode,
            errorMessage: result.errorMessage,
            statusUpdatedAt: new Date(),
          })
          .where(eq(messages.id, result.messageId));
        if (result.providerSid) await applyEarlyStatusEvents(tx, result.providerSid);
        const [row] = await tx.select().from(messages).where(eq(messages.id, result.messageId));
        if (!row) throw new Error(`message ${result.messageId} vanished`);
        return { messageId: row.id, from: '', to: '', status: row.status, providerSid: row.providerSid, errorCode: row.errorCode };
      });
    },
  };
}
