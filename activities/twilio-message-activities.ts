import { ApplicationFailure } from '@temporalio/activity';
import type { ConversationActivities } from '../src/contracts/conversation-contract';
import { FailureType } from '../src/contracts/failure-types';
import type { TwilioClient } from '../src/providers/twilio/twilio-client';
import { TwilioRefusedError } from '../src/providers/twilio/twilio-errors';
import { sendWhatsAppMessage } from '../src/providers/twilio/twilio-messaging';

export function createTwilioMessageActivities({
  twilio,
  publicBaseUrl,
}: {
  twilio: TwilioClient;
  publicBaseUrl: string;
}): Pick<ConversationActivities, 'sendWhatsApp'> {
  const statusCallback = new URL('/webhooks/twilio/status', publicBaseUrl).toString();
  return {
    /**
     * Sends one WhatsApp message. Twilio refusing it (a 4xx) is an answer, not a fault: it is
     * returned as a failed message so the caller sees why. An outage is retried by Temporal.
     */
    async sendWhatsApp({ messageId, ...message }) {
      try {
        const accepted = await sendWhatsAppMessage(twilio, { ...message, statusCallback });
        const { status, errorCode, errorMessage } = accepted;
        return { messageId, providerSid: accepted.sid, status, errorCode, errorMessage };
      } catch (err) {
        if (err instanceof TwilioRefusedError) {
          const errorCode = String(err.code ?? err.status);
          return { messageId, providerSid: null, status: 'failed', errorCode, errorMessage: err.message };
        }
        throw ApplicationFailure.retryable((err as Error).message, FailureType.TwilioUnavailable);
      }
    },
  };
}
