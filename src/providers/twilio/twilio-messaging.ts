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
