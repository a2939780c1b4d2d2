import type { SendWhatsAppInput } from '../../contracts/conversation-contract';
import { fromTwilioStatus, type MessageStatus } from '../../domain/message-status';
import type { TwilioClient } from './twilio-client';
import { callTwilio } from './twilio-errors';

/** What to send (as the conversation workflow asks) and where Twilio reports its delivery. */
export type WhatsAppMessage = Omit<SendWhatsAppInput, 'messageId'> & { statusCallback: string };

export interface AcceptedMessage {
  sid: string;
  status: MessageStatus;
  errorCode: string | null;
  errorMessage: string | null;
}

/** Sends one WhatsApp message through the Messages API. Throws TwilioRefusedError or TwilioUnavailableError. */
export async function sendWhatsAppMessage(twilio: TwilioClient, message: WhatsAppMessage): Promise<AcceptedMessage> {
  const { contentSid, contentVariables } = message;
  const content = contentSid
    ? { contentSid, contentVariables: contentVariables ? JSON.stringify(contentVariables) : undefined }
    : { body: message.body || undefined, mediaUrl: message.mediaUrl ? [message.mediaUrl] : undefined };
  const msg = await callTwilio(() =>
    twilio.messages.create({ from: message.from, to: message.to, ...content, statusCallback: message.statusCallback }),
  );
  return {
    sid: msg.sid,
    status: fromTwilioStatus(msg.status) ?? 'queued',
    errorCode: msg.errorCode ? String(msg.errorCode) : null,
    errorMessage: msg.errorMessage ?? null,
  };
}

/** What a lookup needs to recognise a send of ours that Twilio took although we never heard its answer. */
export interface EarlierSend {
  from: string;
  to: string;
  /** The text we sent; a template's is rendered by Twilio, so it cannot be compared. */
  body: string | null;
  /** When our message was recorded: Twilio cannot have taken it before. */
  since: Date;
}

/** Clocks differ between us and Twilio by a little; a minute is ample and still narrow. */
const CLOCK_SKEW_MS = 60_000;

/**
 * Twilio's recent messages on this route that could be ours, oldest first: created after we recorded our
 * message and, for text, with our exact body. The caller removes those already recorded as other messages.
 * Throws TwilioUnavailableError.
 */
export async function sendsLike(twilio: TwilioClient, send: EarlierSend): Promise<AcceptedMessage[]> {
  const recent = await callTwilio(() => twilio.messages.list({ from: send.from, to: send.to, limit: 50 }));
  return recent
    .filter((m) => m.dateCreated.getTime() >= send.since.getTime() - CLOCK_SKEW_MS)
    .filter((m) => send.body === null || m.body === send.body)
    .reverse()
    .map((m) => ({
      sid: m.sid,
      status: fromTwilioStatus(m.status) ?? 'queued',
      errorCode: m.errorCode ? String(m.errorCode) : null,
      errorMessage: m.errorMessage ?? null,
    }));
}
