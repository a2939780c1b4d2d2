import type { MessagingV2ChannelsSenderRequestsCreate } from 'twilio/lib/rest/messaging/v2/channelsSender';
import type { TwilioClient } from './twilio-client';
import { callTwilio, isNotFound, TwilioRefusedError } from './twilio-errors';

export interface SenderState {
  status: string;
  reason: string | null;
}

/** Twilio's "PhoneNumber requested is not available": someone bought it after it was listed. */
const NUMBER_NOT_AVAILABLE = 21422;

/**
 * Buys the number with its inbound webhook pointing at us. Idempotent on the number: a retry after
 * Twilio bought it but before we heard back finds it on the account instead of buying again.
 */
export async function buyNumber(
  twilio: TwilioClient,
  e164: string,
  inboundUrl: string,
): Promise<{ providerSid: string } | { unavailable: string }> {
  const [owned] = await callTwilio(() => twilio.incomingPhoneNumbers.list({ phoneNumber: e164, limit: 1 }));
  if (owned) return { providerSid: owned.sid };
  try {
    const bought = await callTwilio(() =>
      twilio.incomingPhoneNumbers.create({ phoneNumber: e164, smsUrl: inboundUrl, smsMethod: 'POST' }),
    );
    return { providerSid: bought.sid };
  } catch (err) {
    if (err instanceof TwilioRefusedError && err.code === NUMBER_NOT_AVAILABLE) {
      return { unavailable: `${e164} is no longer available: ${err.message}` };
    }
    throw err;
  }
}

/** Registers the number as a WhatsApp sender (Senders API), reusing one an earlier attempt created. */
export async function registerSender(
  twilio: TwilioClient,
  sender: { e164: string; displayName: string; wabaId: string; inboundUrl: string },
): Promise<{ senderSid: string }> {
  const senderId = `whatsapp:${sender.e164}`;
  const senders = await callTwilio(() =>
    twilio.messaging.v2.channelsSenders.list({ channel: 'whatsapp', limit: 1000 }),
  );
  const existing = senders.find((s) => s.senderId === senderId && s.status !== 'OFFLINE');
  if (existing) return { senderSid: existing.sid };
  // The wire format is snake_case JSON; the SDK sends this object as given.
  const request = {
    sender_id: senderId,
    configuration: { waba_id: sender.wabaId },
    profile: { name: sender.displayName },
    webhook: { callback_url: sender.inboundUrl, callback_method: 'POST' },
  } as unknown as MessagingV2ChannelsSenderRequestsCreate;
  return { senderSid: (await callTwilio(() => twilio.messaging.v2.channelsSenders.create(request))).sid };
}

export async function fetchSender(twilio: TwilioClient, senderSid: string): Promise<SenderState> {
  const sender = await callTwilio(() => twilio.messaging.v2.channelsSenders(senderSid).fetch());
  const reasons = (sender.offlineReasons ?? []).map((r) => `${r.message ?? 'offline'}${r.code ? ` (${r.code})` : ''}`);
  return { status: sender.status, reason: reasons.length ? reasons.join('; ') : null };
}

/** Gives the number (and its sender) back to Twilio; already gone counts as released. */
export async function releaseNumber(twilio: TwilioClient, providerSid: string, senderSid?: string | null) {
  const gone = (err: unknown) => {
    if (!isNotFound(err)) throw err;
  };
  if (senderSid) await callTwilio(() => twilio.messaging.v2.channelsSenders(senderSid).remove()).catch(gone);
  await callTwilio(() => twilio.incomingPhoneNumbers(providerSid).remove()).catch(gone);
}
