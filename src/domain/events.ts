/**
 * What happened, as desks (Server-Sent Events) and integrations (outbound webhooks) are told. Each type's
 * `data` is documented in the README; a type is never renamed, and fields are only ever added.
 */
export const EVENT_TYPES = [
  'message.created',
  'message.status_changed',
  'conversation.created',
  'conversation.queued',
  'conversation.assigned',
  'conversation.transferred',
  'conversation.closed',
  'wallet.low',
  'wallet.refilled',
  'wallet.refill_paused',
  'number.status_changed',
  'onboarding.status_changed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Where an event stands in the log: the writing transaction's id, then the event's own. Read only below
 * every transaction still open, this order never gains an event behind a reader: a reader resumes after
 * the last position it saw and misses nothing.
 */
export interface EventPosition {
  txid: number;
  id: number;
}

/** `<txid>.<id>`: opaque to clients, who send back the last one they saw (SSE's Last-Event-ID). */
export const formatPosition = (p: EventPosition) => `${p.txid}.${p.id}`;

export function parsePosition(value: string): EventPosition | undefined {
  const match = /^(\d{1,18})\.(\d{1,18})$/.exec(value);
  if (!match) return undefined;
  const [txid, id] = [Number(match[1]), Number(match[2])];
  return Number.isSafeInteger(txid) && Number.isSafeInteger(id) ? { txid, id } : undefined;
}

/** The id an event keeps wherever it is delivered, and which receivers dedupe on. */
export const eventId = (id: number) => `evt_${id}`;

/** An event as desks and integrations receive it: the same body over SSE and in every webhook delivery. */
export function eventPayload(e: { id: number; type: EventType; createdAt: Date; data: Record<string, unknown> }) {
  return { id: eventId(e.id), type: e.type, createdAt: e.createdAt.toISOString(), data: e.data };
}

/** Whether `p` comes after `than` in the log. */
export const isAfter = (p: EventPosition, than: EventPosition) =>
  p.txid > than.txid || (p.txid === than.txid && p.id > than.id);
