/** A message's life: inbound `received`; outbound `pending` until Twilio answers, then Twilio's own statuses. */
export const MESSAGE_STATUSES = [
  'received',
  'pending',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'undelivered',
  'failed',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * Position of each status on the delivery path. Twilio's callbacks can arrive out of order, so a
 * status only replaces one ranked strictly lower: a late "sent" never undoes "delivered".
 */
const RANK: Record<MessageStatus, number> = {
  received: 0,
  pending: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  read: 5,
};

export function statusRank(status: MessageStatus): number {
  return RANK[status];
}

/** The statuses a message may be in for `next` to replace it. */
export function statusesBelow(next: MessageStatus): MessageStatus[] {
  return MESSAGE_STATUSES.filter((s) => RANK[s] < RANK[next]);
}

/** Twilio's outbound statuses mapped onto ours (accepted/scheduled are still queued to us). */
export function fromTwilioStatus(status: string): MessageStatus | undefined {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
      return 'queued';
    case 'canceled':
      return 'failed';
    case 'sending':
    case 'sent':
    case 'delivered':
    case 'read':
    case 'undelivered':
    case 'failed':
      return status;
    default:
      return undefined;
  }
}

export function latestStatus(statuses: MessageStatus[]): MessageStatus | undefined {
  return statuses.reduce<MessageStatus | undefined>((best, s) => (!best || RANK[s] > RANK[best] ? s : best), undefined);
}
