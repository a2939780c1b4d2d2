import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every metric Switchboard exports, in one place (README, "Metrics and request ids", lists them). One
 * registry per process: an api and a worker each serve theirs on `/metrics`, and `npm start`, which runs
 * both in one process, serves one with everything. Labels take only values from short fixed sets (route
 * patterns, statuses, error codes), never ids, except the queue lengths, which are capped.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const registers = [registry];

export const httpRequests = new Counter({
  name: 'switchboard_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
});

export const httpRequestDuration = new Histogram({
  name: 'switchboard_http_request_duration_seconds',
  help: 'Time from a request arriving to its answer being sent, by method, route pattern and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
});

export const webhookAckDuration = new Histogram({
  name: 'switchboard_webhook_ack_duration_seconds',
  help: "Time from Twilio's inbound message webhook arriving to its answer, by HTTP status",
  labelNames: ['status'] as const,
  // Twilio reads each try for 7 s (the URLs' #rt=7000) and gives up on all of them after 15 s.
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 7, 10, 15],
  registers,
});

export const inboundMessages = new Counter({
  name: 'switchboard_inbound_messages_total',
  help: "Customers' messages recorded, by channel and whether it was new or a repeated delivery",
  labelNames: ['channel', 'result'] as const,
  registers,
});

/** A customer's message was recorded: `duplicate` when the same one had been delivered before. */
export function countInbound(channel: string, duplicate: boolean): void {
  inboundMessages.inc({ channel, result: duplicate ? 'duplicate' : 'new' });
}

export const statusCallbacks = new Counter({
  name: 'switchboard_status_callbacks_total',
  help: "Twilio's status callbacks recorded, by the message status they report",
  labelNames: ['status'] as const,
  registers,
});

export const replies = new Counter({
  name: 'switchboard_replies_total',
  help: "Operators' replies by the answer they got: sent (Twilio took it), pending, or refused with its error code",
  labelNames: ['outcome', 'code'] as const,
  registers,
});

export const outboundMessages = new Counter({
  name: 'switchboard_outbound_messages_total',
  help: 'Outbound messages by the status recorded when their sending ended (skipped: a notice without points)',
  labelNames: ['status'] as const,
  registers,
});

export const walletRefills = new Counter({
  name: 'switchboard_wallet_refills_total',
  help: 'Auto-refill charges by outcome: charged, declined, or auto-refill paused after its tries',
  labelNames: ['outcome'] as const,
  registers,
});

const outboundWebhookDeliveries = new Counter({
  name: 'switchboard_outbound_webhook_deliveries_total',
  help: "Deliveries of Switchboard's own webhooks to customers' endpoints, by outcome",
  labelNames: ['outcome'] as const,
  registers,
});

/** One attempt at an outbound webhook: `delivered` (2xx), `refused` (any other answer), `unreachable` (none). */
export function countOutboundWebhookDelivery(outcome: string): void {
  outboundWebhookDeliveries.inc({ outcome });
}

export interface QueueLength {
  orgId: string;
  departmentId: string;
  waiting: number;
}

/** Departments exported one by one, the longest queues first: each is a series Prometheus keeps. */
export const QUEUE_SERIES_LIMIT = 100;

/**
 * The queues, read from PostgreSQL on each scrape (every replica sees the same rows: aggregate with max,
 * not sum). `read` returns every department with a chat waiting, longest first; the total counts them all,
 * and only the first QUEUE_SERIES_LIMIT get their own series, so a thousand tenants cannot swamp Prometheus.
 * A failed read fails the scrape of this registry, so no stale or made-up length is ever served.
 */
export function queueLengthRegistry(read: () => Promise<QueueLength[]>): Registry {
  const queues = new Registry();
  // Both gauges are collected at once on a scrape: they share one read.
  let reading: Promise<QueueLength[]> | undefined;
  const lengths = () => (reading ??= read().finally(() => (reading = undefined)));
  new Gauge({
    name: 'switchboard_queue_length',
    help: `Conversations waiting for an operator, by organisation and department (the ${QUEUE_SERIES_LIMIT} longest queues)`,
    labelNames: ['org_id', 'department_id'] as const,
    registers: [queues],
    async collect() {
      const longest = (await lengths()).slice(0, QUEUE_SERIES_LIMIT);
      this.reset();
      for (const { orgId, departmentId, waiting } of longest)
        this.set({ org_id: orgId, department_id: departmentId }, waiting);
    },
  });
  new Gauge({
    name: 'switchboard_queued_conversations',
    help: 'Conversations waiting for an operator, in every department',
    registers: [queues],
    async collect() {
      this.set((await lengths()).reduce((sum, queue) => sum + queue.waiting, 0));
    },
  });
  return queues;
}
