import { Connection } from '@temporalio/client';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { migrateDatabase, openDatabase } from '../../src/db/database';
import { tenantAccounts } from '../../src/providers/twilio/sealed-credentials';
import { twilioWebhookUrl } from '../../src/providers/twilio/twilio-webhook-urls';
import { devSecrets, type DevSecrets } from '../dev-secrets';
import { emulatedTenants } from '../emulated-tenants';
import { ensurePortFree } from '../embedded-services';
import { startTwilioEmulator, type TwilioEmulator } from '../emulator/twilio-emulator';
import { freePort } from '../free-port';
import { bundleWorkflows } from '../workflow-bundle';
import { withDatabase } from '../harness/database-url';
import { startLoadBalancer } from './load-balancer';
import type { StackProcess } from './managed-process';
import { startReplicas, type Replica } from './replicas';
import { ensureDatabases, startStackPostgres } from './stack-postgres';
import { freeMembershipPort, setupTemporalSchemas, startTemporalServer, type TemporalPorts } from './stack-temporal';

export type { Replica } from './replicas';
export type { StackProcess } from './managed-process';

const EMULATOR_TWILIO = { accountSid: `AC${'0'.repeat(31)}2`, authToken: 'stack-emulator-auth-token-not-secret' };
const TEMPORAL_INTERNAL_PORTS = [
  ...['frontendHttp', 'frontendMembership', 'historyGrpc', 'historyMembership'],
  ...['matchingGrpc', 'matchingMembership', 'workerGrpc', 'workerMembership'],
] as Exclude<keyof TemporalPorts, 'frontendGrpc'>[];

export interface ProductionStackOptions {
  /** The PostgreSQL cluster, logs and the workflow bundle; kept, so a second start finds its data. */
  dataDir: string;
  /** The ports people use; each one unset is a free port. Internal ports are always free ones. */
  ports?: { api?: number; postgres?: number; temporal?: number; emulator?: number };
  apiReplicas?: number;
  workerReplicas?: number;
  /** PostgreSQL without fsync: for throwaway stacks (tests, benchmarks). */
  ephemeral?: boolean;
  /** Bootstrap token, provider secret, secrets key, desk token; each made up once in dataDir when not given. */
  secrets?: Partial<DevSecrets>;
  /** More variables for every api and worker (LOG_LEVEL, PAYMENT_GATEWAY…); they win. */
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface ProductionStack {
  /** The load balancer in front of the api replicas: PUBLIC_BASE_URL, what Twilio signs against. */
  apiUrl: string;
  apis: Replica[];
  workers: Replica[];
  temporal: StackProcess & { address: string };
  postgres: StackProcess & { url: string };
  databaseUrl: string;
  namespace: string;
  taskQueue: string;
  emulator: TwilioEmulator;
  secrets: DevSecrets;
  logDir: string;
  /** Stops everything in reverse start order: replicas, then Temporal, then PostgreSQL. */
  stop: () => Promise<void>;
}

/**
 * The production topology on this machine: one PostgreSQL cluster (databases temporal,
 * temporal_visibility, switchboard), Temporal's server on it, the Twilio emulator, and api and worker
 * replicas as separate processes, the apis behind a small load balancer. A fault suite signals and
 * restarts each process through its handle; benchmarks drive it like the single-process harness.
 */
export async function startProductionStack(opts: ProductionStackOptions): Promise<ProductionStack> {
  const log = opts.log ?? ((line: string) => console.error(`[stack] ${line}`));
  const dataDir = resolve(opts.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  // A port someone chose must be free (never talk to a stranger); the others are found free, each once.
  const used = new Set<number>();
  const port = async (fixed?: number, variable = '', find = freePort): Promise<number> => {
    if (fixed !== undefined) await ensurePortFree(fixed, variable);
    const chosen = fixed ?? (await find());
    if (used.has(chosen) && fixed === undefined) return port(fixed, variable, find);
    used.add(chosen);
    return chosen;
  };
  const wanted = opts.ports ?? {};
  const ports = {
    api: await port(wanted.api, 'PORT'),
    postgres: await port(wanted.postgres, 'EMBEDDED_POSTGRES_PORT'),
    emulator: await port(wanted.emulator, 'EMULATOR_PORT'),
  };
  const temporalPorts = { frontendGrpc: await port(wanted.temporal, 'EMBEDDED_TEMPORAL_PORT') } as TemporalPorts;
  for (const key of TEMPORAL_INTERNAL_PORTS) {
    temporalPorts[key] = await port(undefined, '', key.endsWith('Membership') ? freeMembershipPort : freePort);
  }
  const apiPorts: number[] = [];
  const workerPorts: number[] = [];
  for (let i = 0; i < (opts.apiReplicas ?? 2); i++) apiPorts.push(await port());
  for (let i = 0; i < (opts.workerReplicas ?? 2); i++) workerPorts.push(await port());

  const stops: (() => Promise<void>)[] = [];
  const children: StackProcess[] = [];
  // Exiting without stop() must not leave the children running (a hard kill: see managed-process.ts).
  const orphanGuard = () => children.forEach((p) => p.running && p.kill('SIGKILL'));
  process.once('exit', orphanGuard);
  const stop = async () => {
    process.off('exit', orphanGuard);
    for (const s of stops.splice(0).reverse()) await s().catch((err: Error) => log(`while stopping: ${err.message}`));
  };
  const started = (child: StackProcess) => {
    children.push(child);
    stops.push(() => child.stop());
  };
  try {
    const { ephemeral } = opts;
    const pg = await startStackPostgres({ dataDir: join(dataDir, 'postgres'), port: ports.postgres, ephemeral, log });
    started(pg.process);
    const databaseUrl = withDatabase(pg.url, 'switchboard');
    await ensureDatabases(pg.url, ['switchboard']);
    const db = { host: '127.0.0.1', port: ports.postgres, user: 'postgres', password: '' };
    // docker-compose's one-shot jobs (Temporal's schemas, our migrations), and the workflow bundle as
    // `npm run build` makes it, so the workers start without webpack.
    const [, , bundle] = await Promise.all([
      setupTemporalSchemas(db, log),
      migrateDatabase(databaseUrl),
      bundleWorkflows(),
    ]);
    const bundlePath = join(dataDir, 'workflow-bundle.js');
    writeFileSync(bundlePath, bundle);
    const [namespace, taskQueue] = ['default', 'switchboard'];
    const logFile = join(logDir, 'temporal.log');
    const temporal = await startTemporalServer({ db, ports: temporalPorts, namespace, logFile, log });
    started(temporal.process);

    const secrets = devSecrets(dataDir, opts.secrets ?? {});
    // The emulator forgets on restart; the subaccounts and numbers the database knows are there again (as `npm start`).
    const database = openDatabase(databaseUrl, { max: 1 });
    const subaccounts = tenantAccounts(Buffer.from(secrets.secretsKey, 'base64'));
    const tenants = await emulatedTenants(database.db, subaccounts).finally(() => database.close());
    const lbUrl = `http://localhost:${ports.api}`;
    const emulator = await startTwilioEmulator({
      ...EMULATOR_TWILIO,
      deskToken: secrets.deskToken,
      port: ports.emulator,
      inboundWebhookUrl: twilioWebhookUrl(lbUrl, '/webhooks/twilio/messages'),
      ...tenants,
      log: (line) => appendFileSync(join(logDir, 'emulator.log'), `${line}\n`),
    });
    stops.push(() => emulator.close());
    const lb = await startLoadBalancer(ports.api, () => apiPorts.map((p) => `http://127.0.0.1:${p}`));
    stops.push(() => lb.close());

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // With the emulator there is no real card to charge; a configured gateway still wins.
      PAYMENT_GATEWAY: process.env.PAYMENT_GATEWAY || 'sandbox',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TWILIO_ACCOUNT_SID: EMULATOR_TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: EMULATOR_TWILIO.authToken,
      TWILIO_API_BASE_URL: emulator.url,
      PUBLIC_BASE_URL: lb.url,
      ONBOARDING_DESK_URL: `${emulator.url}/onboarding/v1/AccessRequests`,
      ONBOARDING_DESK_TOKEN: secrets.deskToken,
      SWITCHBOARD_SECRETS_KEY: secrets.secretsKey,
      // A development stack: webhook receivers on this machine are what it is tried with.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      SWITCHBOARD_BOOTSTRAP_TOKEN: secrets.bootstrapToken,
      SWITCHBOARD_PROVIDER_SECRET: secrets.providerSecret,
      WORKFLOW_BUNDLE_PATH: bundlePath,
      ...opts.env,
    };
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const replicas = { env, logDir, temporal: { connection, namespace, taskQueue }, started };
    const [apis, workers] = await Promise.all([
      startReplicas({ ...replicas, kind: 'api', ports: apiPorts }),
      startReplicas({ ...replicas, kind: 'worker', ports: workerPorts }),
    ]);
    return {
      apiUrl: lb.url,
      apis,
      workers,
      temporal: Object.assign(temporal.process, { address: temporal.address }),
      postgres: Object.assign(pg.process, { url: pg.url }),
      databaseUrl,
      namespace,
      taskQueue,
      emulator,
      secrets,
      logDir,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
