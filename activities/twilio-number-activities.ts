import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../src/contracts/failure-types';
import type { NumberActivities } from '../src/contracts/number-contract';
import type { TwilioClient } from '../src/providers/twilio/twilio-client';
import { TwilioRefusedError } from '../src/providers/twilio/twilio-errors';
import { twilioWebhookUrl } from '../src/providers/twilio/twilio-webhook-urls';
import {
  activeSenderSid,
  createSender,
  fetchSender,
  ownedNumberSid,
  purchaseNumber,
  releaseNumber,
} from '../src/providers/twilio/twilio-numbers';

/** A refusal from Twilio will not change on retry; it is the workflow's answer, not a fault. */
async function refusedAs<T>(type: FailureType, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof TwilioRefusedError)) throw err;
    const message = `${err.message}${err.code ? ` (Twilio ${err.code})` : ''}`;
    throw ApplicationFailure.nonRetryable(message, type, { code: err.code });
  }
}

export function createTwilioNumberActivities({
  twilio,
  publicBaseUrl,
}: {
  twilio: TwilioClient;
  publicBaseUrl: string;
}): Pick<NumberActivities, 'buyNumber' | 'registerSender' | 'fetchSender' | 'releaseNumber'> {
  const inboundUrl = twilioWebhookUrl(publicBaseUrl, '/webhooks/twilio/messages');
  return {
    // Each finds what an earlier attempt made (its answer lost) before making it: a retry never buys twice.
    // Only the making itself can be refused; a failed lookup is an outage, retried like any other.
    async buyNumber({ e164 }) {
      const owned = await ownedNumberSid(twilio, e164);
      if (owned) return { providerSid: owned };
      return refusedAs(FailureType.NumberPurchaseRefused, () => purchaseNumber(twilio, e164, inboundUrl));
    },
    async registerSender(sender) {
      const existing = await activeSenderSid(twilio, sender.e164);
      if (existing) return { senderSid: existing };
      const create = () => createSender(twilio, { ...sender, inboundUrl });
      return { senderSid: await refusedAs(FailureType.SenderRegistrationRefused, create) };
    },
    fetchSender: ({ senderSid }) => fetchSender(twilio, senderSid),
    releaseNumber: ({ providerSid, senderSid }) => releaseNumber(twilio, providerSid, senderSid),
  };
}
