import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../dev/free-port';
import { degradedApp } from './helpers/degraded-app';
import { createDesk, eventually, inboundForm, openChat, postSignedForm } from './helpers/fixtures';
import { samplesOf, scrape, valueOf } from './helpers/prometheus-text';
import { spawnWorker, workerEnv } from './helpers/worker-process';
import { METRICS_TOKEN, requestTo, useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));

const INBOUND = '/webhooks/twilio/messages';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** How far each metric moved while `traffic` ran. */
async function moved(traffic: () => Promise<unknown>) {
  const before = await scrape(h.apiUrl);
  await traffic();
  const after = await scrape(h.apiUrl);
  return (name: string, labels: Record<string, string> = {}) =>
    valueOf(after, name, labels) - valueOf(before, name, labels);
}

describe("the api's /metrics", () => {
  it("serves Prometheus's text format, the process's own figures included, only to the holder of METRICS_TOKEN", async () => {
    const text = await scrape(h.apiUrl);
    expect(text).toContain('# TYPE switchboard_http_requests_total counter');
    expect(text).toContain('# TYPE switchboard_webhook_ack_duration_seconds histogram');
    expect(text).toContain('# TYPE switchboard_outbound_webhook_deliveries_total counter');
    expect(valueOf(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);

    expect((await h.request('GET', '/metrics')).status).toBe(401);
    expect((await h.request('GET', '/metrics', { key: `${METRICS_TOKEN}x` })).status).toBe(401);
    expect((await h.request('GET', '/metrics', { key: desk.adminKey })).status).toBe(401);
  });

  it('is off where METRICS_TOKEN is not set: 403 metrics_disabled, whatever is sent', async () => {
    const { app, close } = await degradedApp(h, 'temporal');
    const res = await app.request('GET', '/metrics', { key: METRICS_TOKEN });
    await close();
    expect([res.status, res.body.error.code]).toEqual([403, 'metrics_disabled']);
  });

  it('counts a signed inbound webhook, new then repeated, and times its acknowledgement', async () => {
    const form = inboundForm(desk, { From: 'whatsapp:+15550101001' });
    const delta = await moved(async () => {
      expect((await postSignedForm(h, INBOUND, form)).status).toBe(200);
      expect((await postSignedForm(h, INBOUND, form)).status).toBe(200);
      expect((await postSignedForm(h, INBOUND, form, { signature: 'forged' })).status).toBe(403);
    });
    expect(delta('switchboard_inbound_messages_total', { channel: 'whatsapp', result: 'new' })).toBe(1);
    expect(delta('switchboard_inbound_messages_total', { channel: 'whatsapp', result: 'duplicate' })).toBe(1);
    expect(delta('switchboard_webhook_ack_duration_seconds_count', { status: '200' })).toBe(2);
    expect(delta('switchboard_webhook_ack_duration_seconds_count', { status: '403' })).toBe(1);
    expect(delta('switchboard_webhook_ack_duration_seconds_bucket', { status: '200', le: '+Inf' })).toBe(2);
  });

  it('counts replies by their answer, the message Twilio took, its status callbacks, and the refill it set off', async () => {
    const auto = { enabled: true, thresholdPoints: 1, refillPoints: 1 };
    expect((await h.request('PUT', '/v1/wallet/auto-refill', { key: desk.adminKey, body: auto })).status).toBe(200);
    const chat = await openChat(h, desk);
    const reply = (body: object) =>
      h.request('POST', `/v1/conversations/${chat.id}/messages`, { key: desk.operatorKey, body });
    const delta = await moved(async () => {
      expect((await reply({ body: 'On its way' })).status).toBe(201);
      expect((await reply({})).status).toBe(400);
      // The emulator reports the delivery; the refill runs in the wallet's workflow.
      await eventually(async () => {
        const text = await scrape(h.apiUrl);
        return (
          valueOf(text, 'switchboard_status_callbacks_total', { status: 'delivered' }) > 0 &&
          valueOf(text, 'switchboard_wallet_refills_total', { outcome: 'charged' }) > 0
        );
      }, 'the delivery and the refill to be counted');
    });
    expect(delta('switchboard_replies_total', { outcome: 'sent' })).toBe(1);
    expect(delta('switchboard_replies_total', { outcome: 'refused', code: 'validation_failed' })).toBe(1);
    expect(delta('switchboard_outbound_messages_total', { status: 'queued' })).toBe(1);
    expect(delta('switchboard_status_callbacks_total', { status: 'delivered' })).toBe(1);
    expect(delta('switchboard_wallet_refills_total', { outcome: 'charged' })).toBe(1);
  });

  it('labels HTTP requests by route pattern, method and status, errors included, never by an id', async () => {
    const chat = await openChat(h, desk);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const delta = await moved(async () => {
      expect((await h.request('GET', `/v1/conversations/${chat.id}`, { key: desk.adminKey })).status).toBe(200);
      expect((await h.request('GET', `/v1/conversations/${unknown}`, { key: desk.adminKey })).status).toBe(404);
      expect((await h.request('GET', `/v1/no-such-thing/${unknown}`, { key: desk.adminKey })).status).toBe(404);
    });
    const route = '/v1/conversations/:id';
    expect(delta('switchboard_http_requests_total', { method: 'GET', route, status: '200' })).toBe(1);
    expect(delta('switchboard_http_requests_total', { method: 'GET', route, status: '404' })).toBe(1);
    expect(delta('switchboard_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(delta('switchboard_http_request_duration_seconds_count', { method: 'GET', route, status: '404' })).toBe(1);
    const http = samplesOf(await scrape(h.apiUrl)).filter((s) => s.name.startsWith('switchboard_http_'));
    expect(http.flatMap((s) => Object.values(s.labels)).filter((label) => UUID.test(label))).toEqual([]);
  });

  it("reports each department's queue from PostgreSQL, and the waiting chats of all", async () => {
    const org = await createDesk(h, { operatorPresence: 'offline' });
    const queue = { org_id: org.orgId, department_id: org.departmentId };
    expect(valueOf(await scrape(h.apiUrl), 'switchboard_queue_length', queue)).toBe(0);
    const before = valueOf(await scrape(h.apiUrl), 'switchboard_queued_conversations');
    for (const from of ['+15550102001', '+15550102002'])
      await h.emulator.playInbound({ from, to: org.number.e164, body: 'Anyone there?' });
    const text = await eventually(async () => {
      const scraped = await scrape(h.apiUrl);
      return valueOf(scraped, 'switchboard_queue_length', queue) === 2 && scraped;
    }, 'both chats to wait in the queue');
    expect(valueOf(text, 'switchboard_queued_conversations')).toBe(before + 2);
  });
});

/** `npm run worker` as its own process, with the Temporal SDK's metrics on `temporalMetricsPort`. */
async function startWorkerProcess(temporalMetricsPort: number): Promise<{ healthUrl: string }> {
  const worker = spawnWorker(workerEnv(h, { TEMPORAL_METRICS_PORT: String(temporalMetricsPort), METRICS_TOKEN }));
  onTestFinished(async () => {
    process.kill(-worker.child.pid!, 'SIGTERM');
    await worker.exited;
  });
  await worker.started();
  const listening = worker
    .output()
    .split('\n')
    .find((line) => line.includes('worker health'))!;
  return { healthUrl: (JSON.parse(listening) as { url: string }).url };
}

describe("the worker's metrics", () => {
  it("serves its own on the health port to the holder of METRICS_TOKEN, and the Temporal SDK's on TEMPORAL_METRICS_PORT", async () => {
    const temporalMetricsPort = await freePort();
    const { healthUrl } = await startWorkerProcess(temporalMetricsPort);
    expect((await requestTo(healthUrl, 'GET', '/metrics')).status).toBe(401);
    const own = await requestTo<string>(healthUrl, 'GET', '/metrics', { key: METRICS_TOKEN });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(own.body).toContain('# TYPE switchboard_wallet_refills_total counter');
    expect(own.body).toContain('# TYPE switchboard_outbound_messages_total counter');
    expect(valueOf(own.body, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);

    const sdk = await eventually(async () => {
      const res = await requestTo<string>(`http://127.0.0.1:${temporalMetricsPort}`, 'GET', '/metrics');
      return res.status === 200 && /^temporal_num_pollers\{/m.test(res.body) && res.body;
    }, "the Temporal SDK's pollers to be reported");
    expect(samplesOf(sdk).some((s) => s.labels.task_queue === h.taskQueue)).toBe(true);
  }, 90_000);
});
