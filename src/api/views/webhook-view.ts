import type { WebhookDelivery, WebhookEndpoint } from '../../db/queries/webhook-queries';
import { eventId } from '../../domain/events';

/** An endpoint as its admin sees it: never its secret, only the secret's first characters. */
export const endpointView = (e: WebhookEndpoint) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  eventTypes: e.eventTypes,
  status: e.status,
  disabledReason: e.disabledReason,
  secretPrefix: e.secretPrefix,
  createdAt: e.createdAt,
});

/** One event's delivery: how many attempts, what the endpoint last answered, when it is tried next. */
export const deliveryView = (d: WebhookDelivery) => ({
  id: d.id,
  eventId: eventId(d.eventId),
  eventType: d.eventType,
  status: d.deliveredAt ? 'delivered' : 'failing',
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode,
  lastError: d.lastError,
  lastAttemptAt: d.lastAttemptAt,
  nextAttemptAt: d.nextAttemptAt,
  deliveredAt: d.deliveredAt,
});
