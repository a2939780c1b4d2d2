import { FailureType } from '../src/contracts/failure-types';
import type { NumberActivities } from '../src/contracts/number-contract';
import { twilioWebhookUrl } from '../src/providers/twilio/twilio-webhook-urls';
import {
  activeSenderSid,
  createSender,
  fetchSender,
  ownedNumberSid,
  purchaseNumber,
  releaseNumber,
} from '../src/providers/twilio/twilio-numbers';
import type { OrgTwilio } from './org-twilio';
import { refusedAs } from './twilio-refusals';

/** Numbers are bought, registered and released in the organisation's own subaccount. */
export function createTwilioNumberActivities({
  orgTwilio,
  publicBaseUrl,
}: {
  orgTwilio: OrgTwilio;
  publicBaseUrl: string;
}): Pick<NumberActivities, 'buyNumber' | 'registerSender' | 'fetchSender' | 'releaseNumber'> {
  const inboundUrl = twilioWebhookUrl(publicBaseUrl, '/webhooks/twilio/messages');
  return {
    // Each finds what an earlier attempt made (its answer lost) before making it: a retry never buys twice.
    // Only the making itself can be refused; a failed lookup is an outage, retried like any other.
    async buyNumber({ orgId, e164 }) {
      const twilio = await orgTwilio.forOrg(orgId);
      const owned = await ownedNumberSid(twilio, e164);
      if (owned) return { providerSid: owned };
      return refusedAs(FailureType.NumberPurchaseRefused, () => purchaseNumber(twilio, e164, inboundUrl));
    },
    async registerSender({ orgId, ...sender }) {
      const twilio = await orgTwilio.forOrg(orgId);
      const existing = await activeSenderSid(twilio, sender.e164);
      if (existing) return { senderSid: existing };
      const create = () => createSender(twilio, { ...sender, inboundUrl });
      return { senderSid: await refusedAs(FailureType.SenderRegistrationRefused, create) };
    },
    fetchSender: async ({ orgId, senderSid }) => fetchSender(await orgTwilio.forOrg(orgId), senderSid),
    releaseNumber: async ({ orgId, providerSid, senderSid }) =>
      releaseNumber(await orgTwilio.forOrg(orgId), providerSid, senderSid),
  };
}
