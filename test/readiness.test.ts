import { NativeConnection } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
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
      publicBaseUrl: h.apiUrl,
      paymentGateway: h.paymentGateway,
      temporal: h.temporal,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      logger,
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
    const child: ChildProcess = spawn(join(__dirname, '..', 'node_modules', '.bin', 'tsx'), ['worker/worker-main.ts'], {
      cwd: join(__dirname, '..'),
      env: {
        ...process.env,
        DATABASE_URL: withDatabase(inject('postgresUrl'), name),
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: `readiness-${randomUUID()}`,
        TWILIO_ACCOUNT_SID: ACCOUNT_SID,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_API_BASE_URL: h.emulator.url,
        SWITCHBOARD_SECRETS_KEY: SECRETS_KEY.toString('base64'),
        PAYMENT_GATEWAY: 'sandbox',
        PUBLIC_BASE_URL: h.apiUrl,
        WORKER_HEALTH_PORT: String(port),
        // The bundle the global setup built, as `npm run build` provides one in production.
        WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    onStop(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      () =>
        requestTo(url, 'GET', '/readyz').then(
          (r) => r.status === 200,
          () => false,
        ),
      `the worker to be ready:\n${stderr}`,
      60_000,
    );
    const db = postgres(withDatabase(inject('postgresUrl'), name), { max: 1, onnotice: () => {} });
    const [migrated] = await db`select count(*)::int as n from drizzle.__drizzle_migrations`;
    await db.end();
    expect(migrated!.n).toBeGreaterThan(0);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
