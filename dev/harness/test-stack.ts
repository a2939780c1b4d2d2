import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { DestinationStream } from 'pino';
import postgres from 'postgres';
import { SandboxGateway } from '../../src/providers/payments/sandbox-gateway';
import { openDatabase, type Database } from '../../src/db/database';
import { startTwilioEmulator, type TwilioEmulator } from '../emulator/twilio-emulator';
import { createApp } from '../../src/api/app';
import { apiRequestIds } from '../../src/api/api-server';
import { createLogger } from '../../src/logger';
import { tenantAccounts, type TenantAccounts } from '../../src/providers/twilio/sealed-credentials';
import { createTwilioClient } from '../../src/providers/twilio/twilio-client';
import { createWorker } from '../../worker/create-worker';
import type { NumberPolicy, OnboardingPolicy } from '../../src/domain/policies';
import { withDatabase } from './database-url';
import { checkDocumented } from './documented-answers';

export const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const BOOTSTRAP_TOKEN = 'test-bootstrap-token-0123456789';
export const PROVIDER_SECRET = 'test-provider-secret-0123456789';
export const DESK_TOKEN = 'test-desk-token-0123456789abcdef';
/** METRICS_TOKEN of the tests' API: what a Prometheus scraper sends for /metrics. */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';
/** SWITCHBOARD_SECRETS_KEY of the tests: 32 bytes. */
export const SECRETS_KEY = Buffer.alloc(32, 7);

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Abandon the request after this long (a client that will not wait for ever on a paused dependency). */
  timeoutMs?: number;
  /**
   * Throw unless the API's OpenAPI document describes the answer (its status, and a JSON body its schema
   * accepts): the test harness's requests do, so every integration test checks the document too.
   */
  checkDocumented?: boolean;
}

/** One JSON request to an API, as its clients make them. */
export async function requestTo<T = any>(
  apiUrl: string,
  method: string,
  path: string,
  opts: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
      ...opts.headers,
    },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    signal: opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined,
  });
  const text = await res.text();
  const body = text && res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as T) : (text as T);
  const answer = { status: res.status, body, headers: res.headers };
  if (opts.checkDocumented) checkDocumented(method, path, answer);
  return answer;
}

export interface Harness {
  apiUrl: string;
  databaseUrl: string;
  emulator: TwilioEmulator;
  /** Opens organisations' subaccounts as the API and the worker do (for apps a test builds beside the harness). */
  subaccounts: TenantAccounts;
  /** The worker's gateway: tests read the charges it made. */
  paymentGateway: SandboxGateway;
  database: Database;
  temporal: Client;
  taskQueue: string;
  request<T = any>(method: string, path: string, opts?: RequestOptions): Promise<ApiResponse<T>>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

let runtimeInstalled = false;

export interface StackServices {
  postgresUrl: string;
  /** Cloned for the stack's own database; migrated already. */
  templateDatabase: string;
  temporalAddress: string;
  workflowBundlePath: string;
  statusCallbackDelayMs?: number;
  maxCachedWorkflows?: number;
  /** Onboarding and number durations in seconds, so tests see expiry, renewal and grace. */
  onboardingPolicy?: OnboardingPolicy;
  numberPolicy?: NumberPolicy;
  /** Where the API's and the worker's log lines go, from debug up (tests read them); unset, TEST_LOG_LEVEL decides. */
  logs?: DestinationStream;
  /** `request` checks each answer against the API's OpenAPI document (`RequestOptions.checkDocumented`); on unless false. */
  checkDocumented?: boolean;
}

/** Tests wait seconds, not days; a file that watches a timer fire passes shorter ones. */
const TEST_ONBOARDING_POLICY: OnboardingPolicy = {
  linkApprovalSeconds: 300,
  accessApprovalSeconds: 300,
  reminderSeconds: 120,
};
const TEST_NUMBER_POLICY: NumberPolicy = {
  periodSeconds: 3600,
  graceSeconds: 600,
  graceRetrySeconds: 60,
  senderPollSeconds: 0.2,
  senderPollMaxSeconds: 1,
  senderTimeoutSeconds: 60,
};

/** A whole Switchboard on real services: its own database, task queue, API server, worker and emulator. */
export async function startStack(services: StackServices): Promise<Harness> {
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    try {
      Runtime.install({ logger: new DefaultLogger((process.env.TEST_SDK_LOG_LEVEL as 'WARN' | undefined) ?? 'ERROR') });
    } catch {
      // Already created in this process (a benchmark also runs the test server): keep its logger.
    }
  }
  const dbName = `t_${randomUUID().replace(/-/g, '')}`;
  const admin = postgres(services.postgresUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName} template ${services.templateDatabase}`);
  await admin.end();
  const databaseUrl = withDatabase(services.postgresUrl, dbName);
  const database = openDatabase(databaseUrl);

  const connection = await Connection.connect({ address: services.temporalAddress });
  const temporal = new Client({ connection, interceptors: { workflow: [apiRequestIds] } });
  const taskQueue = `test-${randomUUID()}`;
  const logger = services.logs
    ? createLogger('debug', 'switchboard', services.logs)
    : createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

  // Listen first: the app needs its own public URL (Twilio signs against it) before it is built.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const emulator = await startTwilioEmulator({
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    deskToken: DESK_TOKEN,
    port: 0,
    inboundWebhookUrl: `${apiUrl}/webhooks/twilio/messages`,
    statusCallbackDelayMs: services.statusCallbackDelayMs ?? 5,
    senderStepMs: 50,
  });
  const subaccounts = tenantAccounts(SECRETS_KEY, emulator.url);
  // Ends the event streams a test left open, as the api does when it stops.
  const closing = new AbortController();
  server.on(
    'request',
    createApp({
      db: database.db,
      sql: database.sql,
      temporal,
      taskQueue,
      logger,
      publicBaseUrl: apiUrl,
      twilio: subaccounts,
      secretsKey: SECRETS_KEY,
      webhooks: { allowPrivateTargets: true, policy: { retrySeconds: [1, 1, 2] } },
      bootstrapToken: BOOTSTRAP_TOKEN,
      walletPolicy: { refillAttempts: 3, refillBackoffSeconds: 1 },
      providerSecret: PROVIDER_SECRET,
      metricsToken: METRICS_TOKEN,
      onboardingPolicy: services.onboardingPolicy ?? TEST_ONBOARDING_POLICY,
      numberPolicy: services.numberPolicy ?? TEST_NUMBER_POLICY,
      eventStreams: { heartbeatMs: 1_000, closing: closing.signal },
    }),
  );

  const twilio = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: emulator.url });

  const paymentGateway = new SandboxGateway();
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;

  const harness: Harness = {
    apiUrl,
    databaseUrl,
    emulator,
    subaccounts,
    paymentGateway,
    database,
    temporal,
    taskQueue,
    request: (method, path, opts) =>
      requestTo(apiUrl, method, path, { checkDocumented: services.checkDocumented ?? true, ...opts }),
    async startWorker() {
      nativeConnection ??= await NativeConnection.connect({ address: services.temporalAddress });
      worker = await createWorker({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue,
        db: database.db,
        twilio,
        subaccounts,
        secretsKey: SECRETS_KEY,
        allowPrivateWebhookTargets: true,
        logger,
        publicBaseUrl: apiUrl,
        onboardingDesk: { url: `${emulator.url}/onboarding/v1/AccessRequests`, token: DESK_TOKEN },
        paymentGateway,
        temporal,
        workflowBundle: { codePath: services.workflowBundlePath },
        maxCachedWorkflows: services.maxCachedWorkflows,
      });
      running = worker.run();
    },
    async stopWorker() {
      if (!worker) return;
      worker.shutdown();
      await running;
      worker = undefined;
    },
    async close() {
      await harness.stopWorker();
      await nativeConnection?.close();
      await emulator.close();
      closing.abort();
      await new Promise((resolve) => server.close(resolve));
      await connection.close();
      await database.close();
    },
  };
  await harness.startWorker();
  return harness;
}
