import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { eventPosition, latestPosition, notify } from '../../db/queries/event-queries';
import {
  createEndpoint,
  deliveriesPage,
  endpointOfOrg,
  endpointsPage,
  updateEndpoint,
  type WebhookEndpoint,
} from '../../db/queries/webhook-queries';
import { EVENT_TYPES } from '../../domain/events';
import { DEFAULT_WEBHOOK_POLICY, type WebhookPolicy } from '../../domain/policies';
import { seal } from '../../providers/sealing';
import { checkWebhookTarget } from '../../providers/webhooks/webhook-targets';
import { newSigningSecret } from '../../providers/webhooks/webhook-sender';
import { deliverToEndpoint } from '../../workflow-client/webhook-client';
import { ApiError, notFound, parse } from '../api-errors';
import { authOf, requireAdmin } from '../auth';
import { pageQuery } from '../page-query';
import { idParam } from '../request-schemas';
import { deliveryView, endpointView } from '../views/webhook-view';

const eventTypes = z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length);
export const endpointBody = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    eventTypes: eventTypes.default([]),
    description: z.string().trim().max(200).optional(),
  })
  .strict();
export const changeBody = endpointBody.partial().strict();
export const replayBody = z
  .object({ fromEventId: z.string().regex(/^evt_\d{1,18}$/, 'an event id such as evt_123') })
  .strict();

export interface WebhookSettings {
  /** Development only: endpoints on private, loopback and link-local addresses. */
  allowPrivateTargets: boolean;
  policy?: Partial<WebhookPolicy>;
}

/** Outbound webhooks (admins): endpoints, their signing secrets (shown once), deliveries, re-enabling, replay. */
export function webhookEndpointsRouter(
  db: Db,
  temporal: Client,
  taskQueue: string,
  deps: { secretsKey: Buffer; settings: WebhookSettings },
): Router {
  const r = Router();
  r.use(requireAdmin);
  const policy = { ...DEFAULT_WEBHOOK_POLICY, ...deps.settings.policy };
  const deliver = (e: WebhookEndpoint) =>
    deliverToEndpoint(temporal, taskQueue, { endpointId: e.id, orgId: e.orgId, policy });
  const sealed = (id: string) => {
    const secret = newSigningSecret();
    return { secret, secretSealed: seal(deps.secretsKey, id, secret), secretPrefix: secret.slice(0, 12) };
  };
  async function owned(orgId: string, rawId: unknown) {
    const { id } = parse(idParam, rawId, 'path');
    const endpoint = await endpointOfOrg(db, orgId, id);
    if (!endpoint) throw notFound('Webhook endpoint');
    return endpoint;
  }
  // A delivery waiting for news (or out a failure) looks again at once, and finds the change.
  const change = async (orgId: string, id: string, set: Parameters<typeof updateEndpoint>[3]) => {
    const endpoint = (await updateEndpoint(db, orgId, id, set))!;
    await notify(db, orgId);
    if (endpoint.status === 'enabled') await deliver(endpoint);
    return endpoint;
  };

  // Delivers the events that happen from now on; the secret is in this answer only.
  r.post('/', async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(endpointBody, req.body);
    await checkWebhookTarget(body.url, { allowPrivate: deps.settings.allowPrivateTargets });
    const id = randomUUID();
    const { secret, ...kept } = sealed(id);
    const endpoint = await createEndpoint(
      db,
      { id, orgId, ...body, description: body.description ?? null, ...kept },
      await latestPosition(db, orgId),
    );
    // Temporal down: the endpoint goes with the refusal, so the client's retry does not leave a second one
    // that nothing delivers to.
    await deliver(endpoint).catch(async (err: unknown) => {
      await updateEndpoint(db, orgId, id, { status: 'deleted' });
      throw err;
    });
    res.status(201).json({ endpoint: endpointView(endpoint), secret });
  });

  r.get('/', async (req, res) => {
    const page = parse(pageQuery, req.query, 'query');
    const { items, nextCursor } = await endpointsPage(db, authOf(res).orgId, page);
    res.json({ endpoints: items.map(endpointView), nextCursor });
  });

  r.get('/:id', async (req, res) => {
    res.json({ endpoint: endpointView(await owned(authOf(res).orgId, req.params)) });
  });

  r.patch('/:id', async (req, res) => {
    const { orgId } = authOf(res);
    const endpoint = await owned(orgId, req.params);
    const body = parse(changeBody, req.body);
    if (body.url) await checkWebhookTarget(body.url, { allowPrivate: deps.settings.allowPrivateTargets });
    res.json({ endpoint: endpointView(await change(orgId, endpoint.id, body)) });
  });

  // Stops at once: its workflow finds it deleted and ends.
  r.delete('/:id', async (req, res) => {
    const { orgId } = authOf(res);
    const endpoint = await owned(orgId, req.params);
    await change(orgId, endpoint.id, { status: 'deleted' });
    res.status(204).end();
  });

  // The old secret stops signing at once: the answer carries the new one, shown this once.
  r.post('/:id/rotate-secret', async (req, res) => {
    const { orgId } = authOf(res);
    const endpoint = await owned(orgId, req.params);
    const { secret, ...kept } = sealed(endpoint.id);
    res.json({ endpoint: endpointView((await updateEndpoint(db, orgId, endpoint.id, kept))!), secret });
  });

  // Delivery resumes where it stopped: the event that kept failing is the first to go.
  r.post('/:id/enable', async (req, res) => {
    const { orgId } = authOf(res);
    const endpoint = await owned(orgId, req.params);
    const enabled = await change(orgId, endpoint.id, { status: 'enabled', disabledReason: null });
    res.json({ endpoint: endpointView(enabled) });
  });

  // Delivers again from an event on, with the ids it had: receivers that dedupe see nothing twice.
  r.post('/:id/replay', async (req, res) => {
    const { orgId } = authOf(res);
    const endpoint = await owned(orgId, req.params);
    const { fromEventId } = parse(replayBody, req.body);
    const from = await eventPosition(db, orgId, Number(fromEventId.slice(4)));
    if (!from) throw new ApiError(404, 'event_not_found', `No event ${fromEventId} is kept for this organisation`);
    const replaying = await change(orgId, endpoint.id, { cursor: { txid: from.txid, id: from.id - 1 } });
    res.json({ endpoint: endpointView(replaying), replayingFrom: fromEventId });
  });

  r.get('/:id/deliveries', async (req, res) => {
    const endpoint = await owned(authOf(res).orgId, req.params);
    const page = parse(pageQuery, req.query, 'query');
    const { items, nextCursor } = await deliveriesPage(db, endpoint.id, page);
    res.json({ deliveries: items.map(deliveryView), nextCursor });
  });

  return r;
}
