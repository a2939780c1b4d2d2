import { ApplicationFailure } from '@temporalio/activity';
import type { TwilioClient } from '../src/providers/twilio/twilio-client';
import type { MessagingV2ChannelsSenderRequestsCreate } from 'twilio/lib/rest/messaging/v2/channelsSender';
import type { NumberType } from '../src/domain/number-pricing';
import { isRestError } from './twilio-message-activities';

export type { NumberType } from '../src/domain/number-pricing';

export interface AvailableNumber {
  phoneNumber: string;
  friendlyName: string;
  locality: string | null;
  region: string | null;
  country: string;
}

export type SenderState = { status: string; reason: string | null };

/** Twilio's "PhoneNumber requested is not available": someone bought it after it was listed. */
const NUMBER_NOT_AVAILABLE = 21422;

export function createTwilioNumberActivities({ twilio, publicBaseUrl }: { twilio: TwilioClient; publicBaseUrl: string }) {
  const inboundUrl = new URL('/webhooks/twilio/messages', publicBaseUrl).toString();
  /** A 4xx from Twilio will not change on retry; it is the workflow's answer, not a fault. */
  const refusal = (err: unknown, type: string) =>
    isRestError(err) && err.status >= 400 && err.status < 500 && err.status !== 429
      ? ApplicationFailure.nonRetryable(`${err.message}${err.code ? ` (Twilio ${err.code})` : ''}`, type, { code: err.code })
      : err;

  return {
    async listAvailableNumbers(input: { country: string; type: NumberType; contains?: string }): Promise<AvailableNumber[]> {
      const country = twilio.availablePhoneNumbers(input.country);
      const options = { limit: 30, ...(input.contains ? { contains: input.contains } : {}) };
      const numbers: { phoneNumber: string; friendlyName: string; locality: string; region: string; isoCountry: string }[] =
        input.type === 'toll_free' ? await country.tollFree.list(options) : input.type === 'local' ? await country.local.list(options) : await country.mobile.list(options);
      return numbers.map((n) => ({ phoneNumber: n.phoneNumber, friendlyName: n.friendlyName, locality: n.locality || null, region: n.region || null, country: n.isoCountry }));
    },

    /**
     * Buys the number with its inbound webhook pointing at us. Idempotent on the number: a retry
     * after Twilio bought it but before we heard back finds it on the account instead of failing.
     */
    async buyNumber({ e164 }: { e164: string }): Promise<{ providerSid: string } | { unavailable: string }> {
      const [owned] = await twilio.incomingPhoneNumbers.list({ phoneNumber: e164, limit: 1 });
      if (owned) return { providerSid: owned.sid };
      try {
        const bought = await twilio.incomingPhoneNumbers.create({ phoneNumber: e164, smsUrl: inboundUrl, smsMethod: 'POST' });
        return { providerSid: bought.sid };
      } catch (err) {
        if (isRestError(err) && err.code === NUMBER_NOT_AVAILABLE) return { unavailable: `${e164} is no longer available: ${err.message}` };
        throw refusal(err, 'NumberPurchaseRefused');
      }
    },

    /** Registers the WhatsApp sender (Senders API); an existing one for the number is reused. */
    async registerSender({ e164, displayName, wabaId }: { e164: string; displayName: string; wabaId: string }): Promise<{ senderSid: string }> {
      const senderId = `whatsapp:${e164}`;
      const senders = await twilio.messaging.v2.channelsSenders.list({ channel: 'whatsapp', limit: 1000 });
      const existing = senders.find((s) => s.senderId === senderId && s.status !== 'OFFLINE');
      if (existing) return { senderSid: existing.sid };
      // The wire format is snake_case JSON; the SDK sends this object as given.
      const request = {
        sender_id: senderId,
        configuration: { waba_id: wabaId },
        profile: { name: displayName },
        webhook: { callback_url: inboundUrl, callback_method: 'POST' },
      } as unknown as MessagingV2ChannelsSenderRequestsCreate;
      try {
        return { senderSid: (await twilio.messaging.v2.channelsSenders.create(request)).sid };
      } catch (err) {
        throw refusal(err, 'SenderRegistrationRefused');
      }
    },

    async fetchSender({ senderSid }: { senderSid: string }): Promise<SenderState> {
      const sender = await twilio.messaging.v2.channelsSenders(senderSid).fetch();
      const reasons = (sender.offlineReasons ?? []).map((r) => `${r.message ?? 'offline'}${r.code ? ` (${r.code})` : ''}`);
      return { status: sender.status, reason: reasons.length ? reasons.join('; ') : null };
    },

    /** Gives the number back to Twilio; already gone counts as released. */
    async releaseNumber({ providerSid, senderSid }: { providerSid: string; senderSid?: string | null }): Promise<void> {
      const gone = (err: unknown) => {
        if (!(isRestError(err) && err.status === 404)) throw err;
      };
      if (senderSid) await twilio.messaging.v2.channelsSenders(senderSid).remove().catch(gone);
      await twilio.incomingPhoneNumbers(providerSid).remove().catch(gone);
    },
  };
}
