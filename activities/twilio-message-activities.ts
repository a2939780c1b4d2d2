import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ConversationActivities, SendResult, SendWhatsAppInput } from '../src/contracts/conversation-contract';
import { FailureType } from '../src/contracts/failure-types';
import type { Db } from '../src/db/database';
import { outboundSendState, recordedProviderSids } from '../src/db/queries/message-queries';
import type { TwilioClient } from '../src/providers/twilio/twilio-client';
import { TwilioRefusedError, TwilioUnavailableError } from '../src/providers/twilio/twilio-errors';
import { sendsLike, sendWhatsAppMessage } from '../src/providers/twilio/twilio-messaging';
import { twilioWebhookUrl } from '../src/providers/twilio/twilio-webhook-urls';
import type { OrgTwilio } from './org-twilio';

/** Messages go out from the subaccount of the conversation's organisation. */
export function createTwilioMessageActivities({
  orgTwilio,
  publicBaseUrl,
  db,
}: {
  orgTwilio: OrgTwilio;
  publicBaseUrl: string;
  db: Db;
}): Pick<ConversationActivities, 'sendWhatsApp'> {
  const statusCallback = twilioWebhookUrl(publicBaseUrl, '/webhooks/twilio/status');

  /**
   * A try after one whose outcome we never heard (the worker died, or Twilio answered too late) may find
   * Twilio already took the message: Twilio has no idempotency key for messages, so we look before sending
   * again and adopt what we find, and the customer gets the reply once.
   */
  async function earlierSend(twilio: TwilioClient, input: SendWhatsAppInput): Promise<SendResult | undefined> {
    const { messageId } = input;
    const row = await outboundSendState(db, messageId);
    if (!row) throw ApplicationFailure.nonRetryable(`message ${messageId} not found`);
    const body = input.contentSid ? null : input.body;
    const candidates = await sendsLike(twilio, { from: input.from, to: input.to, body, since: row.createdAt });
    const taken = await recordedProviderSids(
      db,
      candidates.map((c) => c.sid),
    );
    const ours = candidates.find((c) => !taken.has(c.sid));
    if (!ours) return undefined;
    const { status, errorCode, errorMessage } = ours;
    return { messageId, providerSid: ours.sid, status, errorCode, errorMessage };
  }

  return {
    /**
     * Sends one WhatsApp message. Twilio refusing it (a 4xx) is an answer, not a fault: it is
     * returned as a failed message so the caller sees why. An outage is retried by Temporal.
     */
    async sendWhatsApp(input) {
      const { messageId, ...message } = input;
      const twilio = await orgTwilio.forMessage(messageId);
      try {
        if (Context.current().info.attempt > 1) {
          const adopted = await earlierSend(twilio, input);
          if (adopted) return adopted;
        }
        const accepted = await sendWhatsAppMessage(twilio, { ...message, statusCallback });
        const { status, errorCode, errorMessage } = accepted;
        return { messageId, providerSid: accepted.sid, status, errorCode, errorMessage };
      } catch (err) {
        if (err instanceof TwilioRefusedError) {
          const errorCode = String(err.code ?? err.status);
          return { messageId, providerSid: null, status: 'failed', errorCode, errorMessage: err.message };
        }
        if (err instanceof TwilioUnavailableError) {
          throw ApplicationFailure.retryable(err.message, FailureType.TwilioUnavailable);
        }
        throw err;
      }
    },
  };
}
