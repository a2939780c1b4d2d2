import { Client, Connection } from '@temporalio/client';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPORAL_SERVER } from '../dev/go-tools';
import { startServices } from '../dev/harness/test-services';
import { BOOTSTRAP_TOKEN, PROVIDER_SECRET, requestTo, startStack, type Harness } from '../dev/harness/test-stack';
import { startProductionStack } from '../dev/stack/production-stack';
import { openDatabase } from '../src/db/database';

export const TOPOLOGIES = ['dev', 'production'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

/** What the scenarios drive, whichever topology runs underneath. */
export interface BenchStack extends Pick<
  Harness,
  'apiUrl' | 'emulator' | 'database' | 'temporal' | 'taskQueue' | 'request'
> {
  topology: Topology;
  /** For the header: what runs where. */
  description: string;
  bootstrapToken: string;
  providerSecret: string;
  /** Resident memory, in bytes, of the processes that run the workflows, and what that covers. */
  workflowMemory: () => number;
  workflowMemoryLabel: string;
  /** One line: each process's resident memory now. */
  memoryReport: () => string;
  close: () => Promise<void>;
}

const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** A child's resident memory from /proc (Linux); 0 where there is none. */
function rssOf(pid: number | undefined): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** `npm run bench`'s own stack: the test harness, everything but Temporal and PostgreSQL in this process. */
async function devStack(opts: { maxCachedWorkflows?: number }): Promise<BenchStack> {
  const { services, teardown } = await startServices();
  const h = await startStack({
    ...services,
    statusCallbackDelayMs: 50,
    maxCachedWorkflows: opts.maxCachedWorkflows,
  }).catch(async (err: unknown) => {
    await teardown();
    throw err;
  });
  return {
    ...h,
    topology: 'dev',
    description: `Temporal dev server (temporal server start-dev) and PostgreSQL; API, worker and Twilio emulator in this process`,
    bootstrapToken: BOOTSTRAP_TOKEN,
    providerSecret: PROVIDER_SECRET,
    workflowMemory: () => process.memoryUsage().rss,
    workflowMemoryLabel: 'this process (API, worker, emulator)',
    memoryReport: () => `process RSS: ${MiB(process.memoryUsage().rss)} (API, worker and emulator share this process)`,
    close: async () => {
      await h.close();
      await teardown();
    },
  };
}

/** `npm run stack`'s topology, throwaway: free ports, an ephemeral cluster under the system's temp directory. */
async function productionStack(): Promise<BenchStack> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  // As root, PostgreSQL runs as the postgres user, who must reach its directory.
  chmodSync(dir, 0o755);
  const stack = await startProductionStack({ dataDir: dir, ephemeral: true, env: { LOG_LEVEL: 'warn' } }).catch(
    (err: unknown) => {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    },
  );
  const connection = await Connection.connect({ address: stack.temporal.address });
  const database = openDatabase(stack.databaseUrl);
  const processes = [...stack.apis, ...stack.workers];
  const close = async () => {
    await database.close();
    await connection.close();
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  // Ctrl-C: stop the stack in order rather than leave its detached children to the kernel.
  process.once('SIGINT', () => void close().finally(() => process.exit(130)));
  return {
    apiUrl: stack.apiUrl,
    emulator: stack.emulator,
    database,
    temporal: new Client({ connection, namespace: stack.namespace }),
    taskQueue: stack.taskQueue,
    request: (method, path, opts) => requestTo(stack.apiUrl, method, path, opts),
    topology: 'production',
    description:
      `Temporal server ${TEMPORAL_SERVER.version} on PostgreSQL; ${stack.apis.length} api processes behind a load ` +
      `balancer, ${stack.workers.length} worker processes; the emulator in this process`,
    bootstrapToken: stack.secrets.bootstrapToken,
    providerSecret: stack.secrets.providerSecret,
    workflowMemory: () => stack.workers.reduce((sum, w) => sum + rssOf(w.pid), 0),
    workflowMemoryLabel: `${stack.workers.length} worker processes, summed`,
    memoryReport: () =>
      `RSS: ${processes.map((p) => `${p.name} ${MiB(rssOf(p.pid))}`).join(', ')}; ` +
      `this process (emulator, ceiling client, wallet path) ${MiB(process.memoryUsage().rss)}`,
    close,
  };
}

export function startBenchStack(topology: Topology, opts: { maxCachedWorkflows?: number }): Promise<BenchStack> {
  return topology === 'production' ? productionStack() : devStack(opts);
}
