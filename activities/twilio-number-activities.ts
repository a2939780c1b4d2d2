import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../src/contracts/failure-types';
import type { NumberActivities } from '../src/contracts/number-contract';
import type { TwilioClient } from '../src/providers/twilio/twilio-client';
import { TwilioRefusedError } from '../src/providers/twilio/twilio-errors';
import { buyNumber, fetchSender, registerSender, releaseNumber } from '../src/providers/twilio/twilio-numbers';

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
  const inboundUrl = new URL('/webhooks/twilio/messages', publicBaseUrl).toString();
  return {
    buyNumber: ({ e164 }) => refusedAs(FailureType.NumberPurchaseRefused, () => buyNumber(twilio, e164, inboundUrl)),
    registerSender: (sender) =>
      refusedAs(FailureType.SenderRegistrationRefused, () => registerSender(twilio, { ...sender, inboundUrl })),
    fetchSender: ({ senderSid }) => fetchSender(twilio, senderSid),
    releaseNumber: ({ providerSid, senderSid }) => releaseNumber(twilio, providerSid, senderSid),
  };
}
