import { bigint, index, integer, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { EVENT_TYPES } from '../../domain/events';
import { at, createdAt, id, requiredRef } from './columns';
import { orgId } from './org-tables';

export const WEBHOOK_ENDPOINT_STATUSES = ['enabled', 'disabled', 'deleted'] as const;

/**
 * An integration's receiver of the organisation's events (outbound webhooks). Its workflow delivers the
 * events after `cursor` in log order and moves the cursor past each one the receiver took.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    orgId: orgId(),
    url: text('url').notNull(),
    description: text('description'),
    // Empty: every type.
    eventTypes: text('event_types', { enum: EVENT_TYPES }).array().notNull(),
    // The Standard Webhooks signing secret, sealed under SWITCHBOARD_SECRETS_KEY and bound to the endpoint.
    secretSealed: text('secret_sealed').notNull(),
    secretPrefix: text('secret_prefix').notNull(),
    status: text('status', { enum: WEBHOOK_ENDPOINT_STATUSES }).notNull().default('enabled'),
    disabledReason: text('disabled_reason'),
    // Where delivery stands in the event log: the last event delivered or passed over.
    cursorTxid: bigint('cursor_txid', { mode: 'number' }).notNull(),
    cursorId: bigint('cursor_id', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_endpoints_org_idx').on(t.orgId, t.createdAt)],
);

/** One event's delivery to one endpoint: every attempt is counted; the same `webhook-id` each time. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    endpointId: requiredRef('endpoint_id', () => webhookEndpoints.id),
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    eventType: text('event_type', { enum: EVENT_TYPES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastAttemptAt: at('last_attempt_at'),
    nextAttemptAt: at('next_attempt_at'),
    deliveredAt: at('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('webhook_deliveries_endpoint_event').on(t.endpointId, t.eventId),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
  ],
);
