import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureSearchAttributes } from '../../worker/search-attribute-setup';
import { ensurePortFree } from '../embedded-services';
import { ensureGoTool, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL } from '../go-tools';
import { startManagedProcess, waitFor, type StackProcess } from './managed-process';

/** deploy/temporal: config/production.yaml and dynamicconfig/production.yaml, the files docker-compose mounts. */
export const TEMPORAL_DEPLOY_DIR = join(__dirname, '..', '..', 'deploy', 'temporal');
export const TEMPORAL_DATABASES = { store: 'temporal', visibility: 'temporal_visibility' };

/** Every port the server listens on; only the frontend's gRPC port is for clients. */
export interface TemporalPorts {
  frontendGrpc: number;
  frontendHttp: number;
  frontendMembership: number;
  historyGrpc: number;
  historyMembership: number;
  matchingGrpc: number;
  matchingMembership: number;
  workerGrpc: number;
  workerMembership: number;
}

export interface TemporalDb {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Temporal records membership ports in a SMALLINT column: one above 32767 stops the server at start. */
export const MEMBERSHIP_PORT_MAX = 32767;

/** A free port below the ephemeral range (where free ports usually come from), for membership. */
export async function freeMembershipPort(): Promise<number> {
  for (;;) {
    const candidate = 20_000 + Math.floor(Math.random() * (MEMBERSHIP_PORT_MAX - 20_000));
    const free = await ensurePortFree(candidate, '').then(
      () => true,
      () => false,
    );
    if (free) return candidate;
  }
}

async function tool(which: typeof TEMPORAL_SERVER, log: (line: string) => void): Promise<string> {
  const path = await ensureGoTool(which, log);
  if (!path) throw new Error(`${which.name} ${which.version} is not available: install Go, or run \`npm run tools\``);
  return path;
}

/**
 * What docker-compose's temporal-schema job does, with the same tool and version: creates both databases
 * and brings their schemas to this release's version. The schemas are embedded in the tool (`--schema-name`);
 * every step is idempotent, so this runs on every start.
 */
export async function setupTemporalSchemas(db: TemporalDb, log: (line: string) => void): Promise<void> {
  const sqlTool = await tool(TEMPORAL_SQL_TOOL, log);
  const env = {
    PATH: process.env.PATH,
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: db.host,
    SQL_PORT: String(db.port),
    SQL_USER: db.user,
    SQL_PASSWORD: db.password,
  };
  for (const [database, schema] of [
    [TEMPORAL_DATABASES.store, 'postgresql/v12/temporal'],
    [TEMPORAL_DATABASES.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    for (const args of [
      ['create-database'],
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '--schema-name', schema],
    ]) {
      const run = spawnSync(sqlTool, ['--db', database, ...args], { env, encoding: 'utf8' });
      if (run.status !== 0) {
        throw new Error(`temporal-sql-tool --db ${database} ${args.join(' ')} failed:\n${run.stderr || run.stdout}`);
      }
    }
  }
  log(`Temporal schemas are current in ${TEMPORAL_DATABASES.store} and ${TEMPORAL_DATABASES.visibility}`);
}

/** The variables deploy/temporal/config/production.yaml reads (docker-compose sets the same ones). */
export function temporalServerEnv(db: TemporalDb, ports: TemporalPorts): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    TEMPORAL_DB_HOST: db.host,
    TEMPORAL_DB_PORT: String(db.port),
    TEMPORAL_DB_USER: db.user,
    TEMPORAL_DB_PASSWORD: db.password,
    TEMPORAL_DB_NAME: TEMPORAL_DATABASES.store,
    TEMPORAL_VISIBILITY_DB_NAME: TEMPORAL_DATABASES.visibility,
    TEMPORAL_BIND_IP: '127.0.0.1',
    TEMPORAL_LOG_LEVEL: 'warn',
    TEMPORAL_FRONTEND_GRPC_PORT: String(ports.frontendGrpc),
    TEMPORAL_FRONTEND_HTTP_PORT: String(ports.frontendHttp),
    TEMPORAL_FRONTEND_MEMBERSHIP_PORT: String(ports.frontendMembership),
    TEMPORAL_HISTORY_GRPC_PORT: String(ports.historyGrpc),
    TEMPORAL_HISTORY_MEMBERSHIP_PORT: String(ports.historyMembership),
    TEMPORAL_MATCHING_GRPC_PORT: String(ports.matchingGrpc),
    TEMPORAL_MATCHING_MEMBERSHIP_PORT: String(ports.matchingMembership),
    TEMPORAL_WORKER_GRPC_PORT: String(ports.workerGrpc),
    TEMPORAL_WORKER_MEMBERSHIP_PORT: String(ports.workerMembership),
  };
}

/** Whether the frontend answers and the namespace is served (ready for clients). */
async function serves(address: string, namespace: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } finally {
    await connection.close();
  }
}

/**
 * Starts the server on the prepared databases, then makes the namespace ready for Switchboard: registered,
 * with the custom search attributes its workflows set. Adding them here, before any worker starts, keeps
 * two workers from adding them at once (the worker only adds what is missing, and here nothing is).
 */
export async function startTemporalServer(opts: {
  db: TemporalDb;
  ports: TemporalPorts;
  namespace: string;
  logFile: string;
  log: (line: string) => void;
}): Promise<{ address: string; process: StackProcess }> {
  const server = await tool(TEMPORAL_SERVER, opts.log);
  const address = `127.0.0.1:${opts.ports.frontendGrpc}`;
  let registered = false;
  const temporal = await startManagedProcess({
    name: 'temporal',
    command: server,
    // --allow-no-auth: no authorizer, as in Temporal's own images; it listens on 127.0.0.1 only.
    args: ['--root', '.', '--config', 'config', '--env', 'production', '--allow-no-auth', 'start'],
    cwd: TEMPORAL_DEPLOY_DIR,
    env: temporalServerEnv(opts.db, opts.ports),
    logFile: opts.logFile,
    // Before the namespace exists, the frontend answering is enough; after, it must serve it again.
    ready: () => (registered ? serves(address, opts.namespace) : serves(address, 'temporal-system')),
    readyTimeoutMs: 90_000,
  });
  const connection = await Connection.connect({ address });
  try {
    await waitFor(
      `the ${opts.namespace} namespace`,
      async () => {
        await connection.workflowService
          .registerNamespace({ namespace: opts.namespace, workflowExecutionRetentionPeriod: msToTs('3 days') })
          .catch((err: Error) => {
            if (!/already exists|already registered/i.test(err.message)) throw err;
          });
        await connection.workflowService.describeNamespace({ namespace: opts.namespace });
        return true;
      },
      60_000,
    );
    registered = true;
    const added = await ensureSearchAttributes(connection, opts.namespace);
    if (added.length) opts.log(`added the search attributes ${added.join(', ')} to ${opts.namespace}`);
  } finally {
    await connection.close();
  }
  opts.log(`Temporal server ${TEMPORAL_SERVER.version} serving ${opts.namespace} on ${address}`);
  return { address, process: temporal };
}
