import type { MessagingV2ChannelsSenderRequestsCreate } from 'twilio/lib/rest/messaging/v2/channelsSender';
import type { TwilioClient } from './twilio-client';
import { callTwilio, isNotFound, TwilioRefusedError } from './twilio-errors';

export interface SenderState {
  status: string;
  reason: string | null;
}

/** Twilio's "PhoneNumber requested is not available": someone bought it after it was listed. */
const NUMBER_NOT_AVAILABLE = 21422;

/** The number's SID if it is already on the account (bought by an earlier attempt whose answer was lost). */
export async function ownedNumberSid(twilio: TwilioClient, e164: string): Promise<string | undefined> {
  const [owned] = await callTwilio(() => twilio.incomingPhoneNumbers.list({ phoneNumber: e164, limit: 1 }));
  return owned?.sid;
}

/** Buys the number with its inbound webhook pointing at us; someone else having bought it is an answer. */
export async function purchaseNumber(
  twilio: TwilioClient,
  e164: string,
  inboundUrl: string,
): Promise<{ providerSid: string } | { unavailable: string }> {
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

/** The number's WhatsApp sender if one exists and is not OFFLINE (created by an earlier attempt). */
export async function activeSenderSid(twilio: TwilioClient, e164: string): Promise<string | undefined> {
  const senders = await callTwilio(() =>
    twilio.messaging.v2.channelsSenders.list({ channel: 'whatsapp', limit: 1000 }),
  );
  return senders.find((s) => s.senderId === `whatsapp:${e164}` && s.status !== 'OFFLINE')?.sid;
}

/** Registers the number as a WhatsApp sender (Senders API), its inbound webhook pointing at us. */
export async function createSender(
  twilio: TwilioClient,
  sender: { e164: string; displayName: string; wabaId: string; inboundUrl: string },
): Promise<string> {
  // The wire format is snake_case JSON; the SDK sends this object as given.
  const request = {
    sender_id: `whatsapp:${sender.e164}`,
    configuration: { waba_id: sender.wabaId },
    profile: { name: sender.displayName },
    webhook: { callback_url: sender.inboundUrl, callback_method: 'POST' },
  } as unknown as MessagingV2ChannelsSenderRequestsCreate;
  return (await callTwilio(() => twilio.messaging.v2.channelsSenders.create(request))).sid;
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
