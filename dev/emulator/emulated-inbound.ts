import type { EmulatorState } from './emulator-state';
import { newSid, withWhatsApp } from './twilio-wire';
import { postSigned } from './signed-webhooks';

export interface InboundMessage {
  from: string;
  to: string;
  body?: string;
  profileName?: string;
  waId?: string;
  media?: { url?: string; contentType: string }[];
  /** Replays an earlier delivery: Twilio retries webhooks with the same MessageSid. */
  messageSid?: string;
  webhookUrl?: string;
}

export interface InboundResult {
  messageSid: string;
  /** The last delivery's answer; 0 when Twilio could not connect. */
  status: number;
  body: string;
  /** Deliveries made, retries included. */
  attempts: number;
}

/** The URL a customer's message to `to` is delivered to: its WhatsApp sender's callback, else the number's. */
export function configuredInboundUrl(state: EmulatorState, to: string): string | undefined {
  const e164 = to.replace(/^whatsapp:/, '');
  const sender = [...state.senders.values()].find((s) => s.senderId === `whatsapp:${e164}` && !s.deleted);
  return sender?.callbackUrl ?? state.numbers.get(e164)?.smsUrl ?? undefined;
}

function messageType(media: { contentType: string }[]): string {
  const first = media[0]?.contentType ?? '';
  if (!first) return 'text';
  if (first.startsWith('image/')) return 'image';
  if (first.startsWith('audio/')) return 'audio';
  if (first.startsWith('video/')) return 'video';
  return 'document';
}

/** The form Twilio posts for a customer's WhatsApp message. */
export function inboundParams(
  accountSid: string,
  msg: InboundMessage,
  mediaBaseUrl: string,
  storeMedia: (path: string, contentType: string) => void,
): { sid: string; params: Record<string, string> } {
  const sid = msg.messageSid ?? newSid(msg.media?.length ? 'MM' : 'SM');
  const from = withWhatsApp(msg.from);
  const media = msg.media ?? [];
  const params: Record<string, string> = {
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    AccountSid: accountSid,
    From: from,
    To: withWhatsApp(msg.to),
    Body: msg.body ?? '',
    NumMedia: String(media.length),
    NumSegments: '1',
    ReferralNumMedia: '0',
    MessageType: messageType(media),
    SmsStatus: 'received',
    ProfileName: msg.profileName ?? 'WhatsApp User',
    WaId: msg.waId ?? from.replace(/^whatsapp:\+?/, ''),
    ApiVersion: '2010-04-01',
  };
  media.forEach((m, i) => {
    const path = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media/${newSid('ME')}`;
    if (!m.url) storeMedia(path, m.contentType);
    params[`MediaUrl${i}`] = m.url ?? `${mediaBaseUrl}${path}`;
    params[`MediaContentType${i}`] = m.contentType;
  });
  return { sid, params };
}

export async function playInbound(
  target: {
    accountSid: string;
    authToken: string;
    mediaBaseUrl: string;
    webhookUrl?: string;
    storeMedia: (path: string, contentType: string) => void;
  },
  msg: InboundMessage,
): Promise<InboundResult> {
  const url = msg.webhookUrl ?? target.webhookUrl;
  if (!url) throw new Error('no webhook URL: pass webhookUrl or start the emulator with inboundWebhookUrl');
  const { sid, params } = inboundParams(target.accountSid, msg, target.mediaBaseUrl, target.storeMedia);
  const authToken = target.authToken;
  const res = await postSigned(url, authToken, params);
  return { messageSid: sid, ...res };
}
