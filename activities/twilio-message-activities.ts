import { ApplicationFailure } from '@temporalio/activity';
import { fromTwilioStatus } from '../src/domain/message-status';
import type { TwilioClient } from '../src/providers/twilio/twilio-client';
import type { SendResult } from './message-activities';

export interface TwilioActivityDeps {
  twilio: TwilioClient;
  publicBaseUrl: string;
}

export interface SendWhatsAppInput {
  messageId: string;
  from: string;
  to: string;
  body: string;
  mediaUrl?: string;
  /** An approved template (Content API), the only way to reach a customer outside the 24-hour window. */
  contentSid?: string;
  contentVariables?: Record<string, string>;
}

export interface WhatsAppTemplate {
  contentSid: string;
  name: string;
  language: string;
  body: string;
  variables: Record<string, string>;
}

interface TwilioRestError {
  status: number;
  code?: number;
  message: string;
}

export function isRestError(err: unknown): err is TwilioRestError {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

export function createTwilioActivities({ twilio, publicBaseUrl }: TwilioActivityDeps) {
  return {
    /**
     * Sends one WhatsApp message. Twilio refusing it (a 4xx) is an answer, not a fault: it is
     * returned as a failed message so the caller sees why. Anything else is retried by Temporal.
     */
    async sendWhatsApp(input: SendWhatsAppInput): Promise<SendResult> {
      try {
        const msg = await twilio.messages.create({
          from: input.from,
          to: input.to,
          ...(input.contentSid
            ? { contentSid: input.contentSid, contentVariables: input.contentVariables ? JSON.stringify(input.contentVariables) : undefined }
            : { body: input.body || undefined, mediaUrl: input.mediaUrl ? [input.mediaUrl] : undefined }),
          statusCallback: new URL('/webhooks/twilio/status', publicBaseUrl).toString(),
        });
        return {
          messageId: input.messageId,
          providerSid: msg.sid,
          status: fromTwilioStatus(msg.status) ?? 'queued',
          errorCode: msg.errorCode ? String(msg.errorCode) : null,
          errorMessage: msg.errorMessage ?? null,
        };
      } catch (err) {
        if (isRestError(err) && err.status === 429) throw err;
        if (isRestError(err) && err.status >= 400 && err.status < 500) {
          return { messageId: input.messageId, providerSid: null, status: 'failed', errorCode: err.code ? String(err.code) : String(err.status), errorMessage: err.message };
        }
        if (isRestError(err)) throw ApplicationFailure.retryable(err.message, 'TwilioUnavailable');
        throw err;
      }
    },

    /** The account's WhatsApp templates that Meta approved: only those can be sent. */
    async listApprovedTemplates(): Promise<WhatsAppTemplate[]> {
      const contents = await twilio.content.v1.contentAndApprovals.list({ limit: 500 });
      return contents
        .filter((c) => (c.approvalRequests as { status?: string }).status === 'approved')
        .map((c) => ({
          contentSid: c.sid,
          name: c.friendlyName,
          language: c.language,
          body: String((c.types as Record<string, { body?: string }>)['twilio/text']?.body ?? ''),
          variables: c.variables as unknown as Record<string, string>,
        }));
    },
  };
}
