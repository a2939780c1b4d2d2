import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { EVENT_TYPES } from '../../domain/events';
import { WEBHOOK_ENDPOINT_STATUSES } from '../../db/schema/webhook-tables';
import { pageQuery } from '../page-query';
import { idParam } from '../request-schemas';
import { changeBody, endpointBody, replayBody } from '../routes/webhook-endpoint-routes';
import { answer, id, nextCursor, timestamp } from './common-schemas';
import { describeOperation, type Operation } from './describe-operation';

const endpoint = answer({
  id,
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.enum(EVENT_TYPES)).meta({ description: 'Empty: every type' }),
  status: z.enum(WEBHOOK_ENDPOINT_STATUSES),
  disabledReason: z.string().nullable(),
  secretPrefix: z.string(),
  createdAt: timestamp,
}).meta({ id: 'WebhookEndpoint' });
const delivery = answer({
  id,
  eventId: z.string().meta({ description: 'evt_<n>, the webhook-id every attempt carries' }),
  eventType: z.enum(EVENT_TYPES),
  status: z.enum(['delivered', 'failing']),
  attempts: z.int(),
  lastStatusCode: z.int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: timestamp.nullable(),
  nextAttemptAt: timestamp.nullable(),
  deliveredAt: timestamp.nullable(),
}).meta({ id: 'WebhookDelivery' });
const secret = z.string().meta({ description: 'The Standard Webhooks signing secret, shown this once' });
const withEndpoint = answer({ endpoint });

/** Outbound webhooks: the endpoints an admin registers, their secrets, deliveries, re-enabling and replay. */
export function describeWebhookEndpoints(registry: OpenAPIRegistry): void {
  const describe = (op: Omit<Operation, 'tag' | 'who'>) =>
    describeOperation(registry, { ...op, tag: 'Webhook endpoints', who: 'admin' });
  const own = { params: idParam, errors: { 404: ['not_found'] } };
  const targetRefused = { 422: ['webhook_target_not_allowed'] };
  describe({
    method: 'post',
    path: '/v1/webhook-endpoints',
    summary: 'Register an endpoint for the events that happen from now on',
    body: endpointBody,
    answers: { 201: { description: 'The endpoint and its secret', schema: answer({ endpoint, secret }) } },
    errors: targetRefused,
  });
  describe({
    method: 'get',
    path: '/v1/webhook-endpoints',
    summary: 'List endpoints, oldest first',
    query: pageQuery,
    answers: {
      200: { description: 'A page of endpoints', schema: answer({ endpoints: z.array(endpoint), nextCursor }) },
    },
  });
  describe({
    ...own,
    method: 'get',
    path: '/v1/webhook-endpoints/:id',
    summary: 'An endpoint',
    answers: { 200: { description: 'The endpoint', schema: withEndpoint } },
  });
  describe({
    ...own,
    method: 'patch',
    path: '/v1/webhook-endpoints/:id',
    summary: "Change an endpoint's URL, event types or description",
    body: changeBody,
    answers: { 200: { description: 'The endpoint', schema: withEndpoint } },
    errors: { ...own.errors, ...targetRefused },
  });
  describe({
    ...own,
    method: 'delete',
    path: '/v1/webhook-endpoints/:id',
    summary: 'Delete an endpoint: delivery stops at once',
    answers: { 204: { description: 'Deleted' } },
  });
  describe({
    ...own,
    method: 'post',
    path: '/v1/webhook-endpoints/:id/rotate-secret',
    summary: 'A new signing secret; the old one stops signing at once',
    answers: { 200: { description: 'The endpoint and its new secret', schema: answer({ endpoint, secret }) } },
  });
  describe({
    ...own,
    method: 'post',
    path: '/v1/webhook-endpoints/:id/enable',
    summary: 'Re-enable a disabled endpoint: delivery resumes where it stopped',
    answers: { 200: { description: 'The endpoint', schema: withEndpoint } },
  });
  describe({
    ...own,
    method: 'post',
    path: '/v1/webhook-endpoints/:id/replay',
    summary: 'Deliver again from an event on, with the ids it had',
    body: replayBody,
    answers: {
      200: { description: 'The endpoint, replaying', schema: answer({ endpoint, replayingFrom: z.string() }) },
    },
    errors: { 404: ['not_found', 'event_not_found'] },
  });
  describe({
    ...own,
    method: 'get',
    path: '/v1/webhook-endpoints/:id/deliveries',
    summary: "A page of the endpoint's deliveries, oldest first",
    query: pageQuery,
    answers: {
      200: { description: 'A page of deliveries', schema: answer({ deliveries: z.array(delivery), nextCursor }) },
    },
  });
}
