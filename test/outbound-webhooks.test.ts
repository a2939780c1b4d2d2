import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { createApp, type AppDeps } from '../src/api/app';
import { createLogger } from '../src/logger';
import { sendWebhook } from '../src/providers/webhooks/webhook-sender';
import { createDesk, eventually } from './helpers/fixtures';
import { recordHistoryIfAsked } from './helpers/record-history';
import { webhookReceiver, type Received } from './helpers/webhook-receiver';
import { requestTo, SECRETS_KEY, useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));

const register = (body: Record<string, unknown>, app = h) =>
  app.request('POST', '/v1/webhook-endpoints', { key: desk.adminKey, body });
const customerWrites = (from: string) => h.emulator.playInbound({ from, to: desk.number.e164, body: 'Hello?' });
const verified = (secret: string, r: Received) =>
  new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as { id: string };

/** The file's API again with other webhook settings (the harness allows private targets, as development does). */
async function appWith(webhooks: AppDeps['webhooks']) {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { db, sql } = h.database;
  const base = { db, sql, temporal: h.temporal, taskQueue: h.taskQueue, twilio: h.subaccounts };
  const app = createApp({
    ...base,
    logger: createLogger('silent'),
    publicBaseUrl: apiUrl,
    secretsKey: SECRETS_KEY,
    webhooks,
  });
  server.on('request', app);
  return {
    ...h,
    apiUrl,
    request: (method: string, path: string, opts?: object) =>
      requestTo(apiUrl, method, path, { checkDocumented: true, ...opts }),
  };
}

describe('outbound webhooks', () => {
  it("delivers the organisation's events in order, signed as the Standard Webhooks specification says", async () => {
    const receiver = await webhookReceiver();
    const made = await register({ url: receiver.url, eventTypes: ['conversation.created', 'message.created'] });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_/);
    expect(made.body.endpoint).toMatchObject({ status: 'enabled', secretPrefix: made.body.secret.slice(0, 12) });
    await customerWrites('+15554440001');
    await receiver.until('the message', (r) => r.json.type === 'message.created');
    expect(receiver.received.map((r) => r.json.type)).toEqual(['conversation.created', 'message.created']);
    for (const r of receiver.received) {
      expect(verified(made.body.secret, r).id).toBe(r.json.id);
      expect(r.headers['webhook-id']).toBe(r.json.id);
    }
    const list = await h.request('GET', '/v1/webhook-endpoints', { key: desk.adminKey });
    expect(JSON.stringify(list.body)).not.toContain(made.body.secret);
    await receiver.close();
  });

  it('retries a receiver that fails three times with the same webhook-id and a valid signature, in order', async () => {
    const receiver = await webhookReceiver([500, 503, 500]);
    const made = await register({ url: receiver.url, eventTypes: ['message.created'] });
    await customerWrites('+15554440002');
    await customerWrites('+15554440003');
    await eventually(() => receiver.taken().length === 2, 'both messages taken', 30_000);
    const [first, ...retries] = receiver.received;
    expect(retries.map((r) => [r.answered, r.headers['webhook-id']])).toEqual([
      [503, first!.headers['webhook-id']],
      [500, first!.headers['webhook-id']],
      [200, first!.headers['webhook-id']],
      [200, receiver.taken()[1]!.headers['webhook-id']],
    ]);
    for (const r of receiver.received) expect(verified(made.body.secret, r).id).toBe(r.json.id);
    const deliveries = await h.request('GET', `/v1/webhook-endpoints/${made.body.endpoint.id}/deliveries`, {
      key: desk.adminKey,
    });
    expect(deliveries.body.deliveries.map((d: any) => [d.eventId, d.attempts, d.lastStatusCode, d.status])).toEqual([
      [receiver.taken()[1]!.json.id, 1, 200, 'delivered'],
      [first!.json.id, 4, 200, 'delivered'],
    ]);
    const workflowId = `webhook-endpoint:${made.body.endpoint.id}`;
    recordHistoryIfAsked(inject('temporalAddress'), workflowId, 'webhook-endpoint-retried-then-delivered');
    await receiver.close();
  });

  it('disables an endpoint failing past the configured time; enabled again, it resumes at the failed event', async () => {
    const strict = await appWith({ allowPrivateTargets: true, policy: { retrySeconds: [1], disableAfterSeconds: 3 } });
    const receiver = await webhookReceiver(Array(50).fill(500));
    const made = await register({ url: receiver.url, eventTypes: ['message.created'] }, strict);
    const endpoint = `/v1/webhook-endpoints/${made.body.endpoint.id}`;
    await customerWrites('+15554440004');
    const disabled = await eventually(
      async () => {
        const got = await h.request('GET', endpoint, { key: desk.adminKey });
        return got.body.endpoint.status === 'disabled' && got.body.endpoint;
      },
      'the endpoint disabled',
      30_000,
    );
    expect(disabled.disabledReason).toContain('The endpoint answered 500');
    const failing = (await h.request('GET', `${endpoint}/deliveries`, { key: desk.adminKey })).body.deliveries[0];
    expect(failing).toMatchObject({ status: 'failing', lastStatusCode: 500 });
    expect(failing.attempts).toBeGreaterThan(1);
    const fixed = await webhookReceiver();
    await h.request('PATCH', endpoint, { key: desk.adminKey, body: { url: fixed.url } });
    const enabled = await h.request('POST', `${endpoint}/enable`, { key: desk.adminKey });
    expect(enabled.body.endpoint.status).toBe('enabled');
    await fixed.until('the failed event', (r) => r.json.id === failing.eventId);
    await Promise.all([receiver.close(), fixed.close()]);
  });

  it('replays from an event with the ids it had, and signs with a rotated secret only', async () => {
    const receiver = await webhookReceiver();
    const made = await register({ url: receiver.url, eventTypes: ['message.created'] });
    const endpoint = `/v1/webhook-endpoints/${made.body.endpoint.id}`;
    await customerWrites('+15554440005');
    const original = await receiver.until('the message', () => true);
    const rotated = await h.request('POST', `${endpoint}/rotate-secret`, { key: desk.adminKey });
    const replay = await h.request('POST', `${endpoint}/replay`, {
      key: desk.adminKey,
      body: { fromEventId: original.json.id },
    });
    expect(replay.status).toBe(200);
    await eventually(() => receiver.received.length === 2, 'the replay');
    const again = receiver.received[1]!;
    expect(again.json).toEqual(original.json);
    expect(verified(rotated.body.secret, again).id).toBe(original.json.id);
    expect(() => verified(made.body.secret, again)).toThrow();
    const unknown = await h.request('POST', `${endpoint}/replay`, {
      key: desk.adminKey,
      body: { fromEventId: 'evt_999999999' },
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'event_not_found']);
    await receiver.close();
  });

  it('refuses targets on private, loopback or link-local addresses, also by name, and plain http', async () => {
    const app = await appWith({ allowPrivateTargets: false });
    const urls = [
      'https://127.0.0.1/hooks',
      'https://localhost/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://10.1.2.3/hooks',
      'https://[::1]/hooks',
      'https://[::ffff:192.168.0.1]/hooks',
      'http://93.184.215.14/hooks',
    ];
    for (const url of urls) {
      const res = await register({ url }, app);
      expect([url, res.status, res.body.error.code]).toEqual([url, 422, 'webhook_target_not_allowed']);
    }
    const bad = await register({ url: 'https://example.test', eventTypes: ['message.sent'] }, app);
    expect([bad.status, bad.body.error.fields[0].field]).toEqual([400, 'eventTypes.0']);
    const list = await app.request('GET', '/v1/webhook-endpoints', { key: desk.adminKey });
    expect(list.body.endpoints.filter((e: any) => urls.includes(e.url))).toEqual([]);
  });

  it('never connects to a private address at delivery time unless allowed (DNS may change after registration)', async () => {
    const receiver = await webhookReceiver();
    const delivery = {
      url: receiver.url.replace('127.0.0.1', 'localhost'),
      secret: `whsec_${'A'.repeat(44)}`,
      id: 'evt_1',
      body: '{}',
      timeoutMs: 2000,
    };
    const refused = await sendWebhook({ ...delivery, allowPrivate: false });
    expect(refused).toMatchObject({ statusCode: null, error: expect.stringContaining('not allowed') });
    expect(receiver.received).toEqual([]);
    expect(await sendWebhook({ ...delivery, allowPrivate: true })).toEqual({ statusCode: 200, error: null });
    await receiver.close();
  });
});
