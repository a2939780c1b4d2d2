import { NativeConnection } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../dev/harness/database-url';
import { freePort } from '../dev/free-port';
import { openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';
import { createTwilioClient } from '../src/providers/twilio/twilio-client';
import type { OnStop } from '../src/run-until-signal';
import { createWorker } from '../worker/create-worker';
import { startWorkerHealthServer } from '../worker/health-server';
import { degradedApp } from './helpers/degraded-app';
import { eventually } from './helpers/fixtures';
import { spawnWorker, workerEnv } from './helpers/worker-process';
import { ACCOUNT_SID, AUTH_TOKEN, requestTo, SECRETS_KEY, useHarness } from './helpers/use-harness';

const h = useHarness();
const stops: (() => Promise<void>)[] = [];
const onStop: OnStop = (stop) => stops.push(stop);
afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
});

describe("the api's /readyz", () => {
  for (const [down, name] of [
    ['database', 'PostgreSQL'],
    ['temporal', 'Temporal'],
  ] as const) {
    it(`answers 503 with Retry-After, and no driver text, while ${name} is down`, async () => {
      const { app, close } = await degradedApp(h, down);
      try {
        const ready = await app.request('GET', '/readyz');
        expect([ready.status, ready.headers.get('retry-after')]).toEqual([503, '5']);
        expect(ready.body).toEqual({
          status: 'unavailable',
          checks: { postgres: { ok: down !== 'database' }, temporal: { ok: down !== 'temporal' } },
        });
        expect((await app.request('GET', '/healthz')).status).toBe(200);
      } finally {
        await close();
      }
    });
  }
});

describe("the worker's /readyz", () => {
  it('is 503 "starting" until the worker polls, 200 while it does, and 503 once shutdown begins', async () => {
    const logger = createLogger('silent');
    const health = await startWorkerHealthServer({ port: 0, sql: h.database.sql, logger }, onStop);
    const readyz = () => requestTo(health.url, 'GET', '/readyz');
    expect(await readyz()).toMatchObject({ status: 503, body: { status: 'starting' } });

    const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
    onStop(() => connection.close());
    const worker = await createWorker({
      connection,
      namespace: 'default',
      taskQueue: `readiness-${randomUUID()}`,
      db: h.database.db,
      twilio: createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: h.emulator.url }),
      subaccounts: h.subaccounts,
      secretsKey: SECRETS_KEY,
      logger,
      publicBaseUrl: h.apiUrl,
      paymentGateway: h.paymentGateway,
      temporal: h.temporal,
      workflowBundle: { codePath: inject('workflowBundlePath') },
    });
    health.track(worker);
    expect(await readyz()).toMatchObject({ status: 503, body: { status: 'starting' } });
    const running = worker.run();
    expect(await readyz()).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect((await requestTo(health.url, 'GET', '/healthz')).status).toBe(200);

    // Polling, but without a database its activities would fail: not ready either.
    const deadDb = openDatabase('postgres://postgres@127.0.0.1:1/none');
    const blind = await startWorkerHealthServer({ port: 0, sql: deadDb.sql, logger }, onStop);
    blind.track(worker);
    const noDb = await requestTo(blind.url, 'GET', '/readyz');
    await deadDb.close();
    expect(noDb).toMatchObject({ status: 503, body: { status: 'database_unavailable' } });

    worker.shutdown();
    const stopping = await readyz();
    await running;
    expect(stopping.status).toBe(503);
    expect(['stopping', 'stopped']).toContain(stopping.body.status);
    expect(await readyz()).toMatchObject({ status: 503, body: { status: 'stopped' } });
  });

  it('is served by `npm run worker`, which migrates a fresh database before it polls', async () => {
    const name = `w_${randomUUID().replace(/-/g, '')}`;
    const admin = postgres(inject('postgresUrl'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    onStop(async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    });
    const port = await freePort();
    const worker = spawnWorker(
      workerEnv(h, {
        DATABASE_URL: withDatabase(inject('postgresUrl'), name),
        TEMPORAL_TASK_QUEUE: `readiness-${randomUUID()}`,
        WORKER_HEALTH_PORT: String(port),
        LOG_LEVEL: 'warn',
      }),
    );
    onStop(async () => {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await worker.exited;
    });
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      () =>
        requestTo(url, 'GET', '/readyz').then(
          (r) => r.status === 200,
          () => false,
        ),
      `the worker to be ready:\n${worker.output()}`,
      60_000,
    );
    const db = postgres(withDatabase(inject('postgresUrl'), name), { max: 1, onnotice: () => {} });
    const [migrated] = await db`select count(*)::int as n from drizzle.__drizzle_migrations`;
    await db.end();
    expect(migrated!.n).toBeGreaterThan(0);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  });
});
