import type { State, Worker } from '@temporalio/worker';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type postgres from 'postgres';
import { ConfigError } from '../src/config';
import type { Logger } from '../src/logger';
import { registry } from '../src/metrics';
import type { OnStop } from '../src/run-until-signal';

/** What /readyz says; only `ready` is 200. */
export type WorkerReadiness = 'ready' | 'starting' | 'stopping' | 'stopped' | 'failed' | 'database_unavailable';

const DATABASE_CHECK_MS = 2000;

function fromState(state: State | undefined): WorkerReadiness | 'running' {
  switch (state) {
    case undefined:
    case 'INITIALIZED':
      return 'starting';
    case 'RUNNING':
      return 'running';
    case 'STOPPING':
    case 'DRAINING':
    case 'DRAINED':
      return 'stopping';
    case 'STOPPED':
      return 'stopped';
    case 'FAILED':
      return 'failed';
  }
}

export interface WorkerHealthOptions {
  port: number;
  sql: postgres.Sql;
  logger: Logger;
  /** METRICS_TOKEN: when set, /metrics wants it as a bearer token, as the api's does. */
  metricsToken?: string;
}

/** Unset, anyone who reaches the port may read /metrics: it is the orchestrator's, never published. */
function mayReadMetrics(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface WorkerHealthServer {
  url: string;
  /** Reports this worker's state from now on; before, the process is still migrating or connecting. */
  track(worker: Pick<Worker, 'getState'>): void;
}

/**
 * The worker has no HTTP API, so an orchestrator could not tell a worker that polls from one stuck
 * connecting or draining. `GET /readyz` is 200 only while it polls its task queue and the database
 * answers (activities need both); `GET /healthz` is 200 while the process serves at all; `GET /metrics`
 * is this process's metrics for Prometheus (the Temporal SDK's own are on TEMPORAL_METRICS_PORT).
 */
export async function startWorkerHealthServer(opts: WorkerHealthOptions, onStop: OnStop): Promise<WorkerHealthServer> {
  let worker: Pick<Worker, 'getState'> | undefined;
  const readiness = async (): Promise<WorkerReadiness> => {
    const state = fromState(worker?.getState());
    if (state !== 'running') return state;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        opts.sql`select 1`,
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), DATABASE_CHECK_MS))),
      ]);
      return 'ready';
    } catch (err) {
      // The driver's text (hosts, users) is for the logs, not for whoever probes.
      opts.logger.warn({ err }, 'readiness: the database does not answer');
      return 'database_unavailable';
    } finally {
      clearTimeout(timer);
    }
  };
  const server: Server = createServer((req, res) => {
    const path = req.url?.split('?')[0];
    const reply = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, { error: { code: 'method_not_allowed' } });
    if (path === '/healthz') return reply(200, { status: 'ok' });
    if (path === '/metrics') {
      if (!mayReadMetrics(req, opts.metricsToken)) return reply(401, { error: { code: 'unauthenticated' } });
      void registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
        res.end(text);
      });
      return;
    }
    if (path !== '/readyz') return reply(404, { error: { code: 'not_found' } });
    void readiness().then((status) => reply(status === 'ready' ? 200 : 503, { status }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new ConfigError(`WORKER_HEALTH_PORT: port ${opts.port} is in use`) : err),
    );
    server.listen(opts.port, resolve);
  });
  onStop(() => new Promise((resolve) => server.close(() => resolve())));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    track: (w) => {
      worker = w;
    },
  };
}
