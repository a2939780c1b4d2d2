import { ActivityFailure, condition, proxyActivities } from '@temporalio/workflow';
import {
  TWILIO_UNREACHABLE,
  type ConversationActivities,
  type OutboundMessage,
  type ReplyResult,
  type SendWhatsAppInput,
} from '../src/contracts/conversation-contract';
import { DATABASE_ACTIVITY } from './activity-options';

/** Changes how a reply is answered and what a send Twilio never takes ends as; see `OutboundSending`. */
export const REPLIES_ANSWER_ONCE_QUEUED = 'replies-answer-once-queued';

/** The reply API answers by then at the latest (well inside the 5 s its callers are promised). */
const REPLY_ANSWER_WITHIN = '3 seconds';
/** A template can go out at any time; WhatsApp's templates are for messages a day late, not later still. */
const TEMPLATE_TRIES_FOR_MS = 24 * 3600 * 1000;
/** Below this a send is not worth starting: Twilio would refuse a free-form message past the window anyway. */
const MIN_TRIES_FOR_MS = 60_000;

const db = proxyActivities<ConversationActivities>(DATABASE_ACTIVITY);
/** Notices (closing, unavailable, accepted types): a few minutes of tries, so the chat is never held up for long. */
export const briefly = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '30 seconds', maximumAttempts: 8 },
});
/** Replies: retried until `forMs` runs out, each try at most a minute after the last, so an outage's end is soon felt. */
const durably = (forMs: number) =>
  proxyActivities<ConversationActivities>({
    startToCloseTimeout: '20 seconds',
    scheduleToCloseTimeout: Math.max(forMs, MIN_TRIES_FOR_MS),
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });

/**
 * Hands messages to Twilio. A send either ends with Twilio's answer or, when Twilio cannot be reached
 * within its tries, as `failed` with its credit refunded: a message is never left charged and pending.
 * A reply is answered as soon as Twilio takes it or after a few seconds, whichever is first; its sending
 * goes on in the workflow, which waits for every send before it continues as new or ends.
 */
export class OutboundSending {
  private readonly inFlight = new Set<string>();

  get idle(): boolean {
    return this.inFlight.size === 0;
  }

  /** A retried request for a message still being sent: the caller gets it as it is, nothing is sent again. */
  isSending(messageId: string): boolean {
    return this.inFlight.has(messageId);
  }

  /** `windowEnd` is when WhatsApp stops taking free-form messages; null for a template. */
  async reply(queued: OutboundMessage, send: SendWhatsAppInput, windowEnd: number | null): Promise<ReplyResult> {
    const forMs = windowEnd === null ? TEMPLATE_TRIES_FOR_MS : windowEnd - Date.now();
    let settled: ReplyResult | undefined;
    void this.deliver(send, durably(forMs)).then((result) => (settled = result));
    await condition(() => settled !== undefined, REPLY_ANSWER_WITHIN);
    return settled ?? queued;
  }

  notice(send: SendWhatsAppInput): Promise<OutboundMessage> {
    return this.deliver(send, briefly);
  }

  private async deliver(send: SendWhatsAppInput, tries: typeof briefly): Promise<OutboundMessage> {
    const { messageId } = send;
    this.inFlight.add(messageId);
    try {
      const sent = await tries.sendWhatsApp(send).catch((err: unknown) => {
        if (!(err instanceof ActivityFailure)) throw err;
        const errorMessage = 'Not sent: Twilio could not be reached in time; the credit was refunded';
        return { messageId, providerSid: null, status: 'failed' as const, errorCode: TWILIO_UNREACHABLE, errorMessage };
      });
      return await db.recordSendResult(sent);
    } finally {
      this.inFlight.delete(messageId);
    }
  }
}
