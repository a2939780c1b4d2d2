import type { Connection } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { startManagedProcess, type StackProcess } from './managed-process';

const ROOT = resolve(__dirname, '..', '..');

export interface Replica extends StackProcess {
  /** An api's own URL; a worker's health URL (/readyz). */
  url: string;
}

export interface ReplicaOptions {
  kind: 'api' | 'worker';
  /** One replica per port: an api's PORT, a worker's WORKER_HEALTH_PORT. */
  ports: number[];
  /** What src/config.ts reads, the same for every replica of either kind. */
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** To see a worker poll when it has no /readyz yet. */
  temporal: { connection: Connection; namespace: string; taskQueue: string };
  /** Called as each replica has started, so a failed start still stops the others. */
  started: (replica: Replica) => void;
}

const ok = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (res) => res.ok,
    () => false,
  );

/** Whether Temporal lists this process among the task queue's pollers (the SDK's identity is pid@host). */
async function polling(temporal: ReplicaOptions['temporal'], pid: number): Promise<boolean> {
  const { pollers } = await temporal.connection.workflowService.describeTaskQueue({
    namespace: temporal.namespace,
    taskQueue: { name: temporal.taskQueue },
    taskQueueType: proto.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  return pollers.some((p) => p.identity === `${pid}@${hostname()}`);
}

/**
 * `npm run api` / `npm run worker` as their own processes: `node --import tsx <entry>`, one process each
 * (`tsx <entry>` would put a second node between the stack and the replica, and a SIGKILL or SIGSTOP
 * would reach only the first). An api is ready when its /readyz is 200; a worker when its /readyz is,
 * or, where the worker has no such endpoint yet, when Temporal lists it as polling.
 */
export async function startReplicas(opts: ReplicaOptions): Promise<Replica[]> {
  const entry = opts.kind === 'api' ? 'src/api/api-main.ts' : 'worker/worker-main.ts';
  return Promise.all(
    opts.ports.map(async (port, i) => {
      const url = `http://127.0.0.1:${port}${opts.kind === 'api' ? '' : '/readyz'}`;
      const portVariable = opts.kind === 'api' ? 'PORT' : 'WORKER_HEALTH_PORT';
      const child = await startManagedProcess({
        name: `${opts.kind}-${i + 1}`,
        command: process.execPath,
        args: ['--import', 'tsx', entry],
        cwd: ROOT,
        env: { ...opts.env, [portVariable]: String(port) },
        logFile: join(opts.logDir, `${opts.kind}-${i + 1}.log`),
        ready:
          opts.kind === 'api'
            ? () => ok(`${url}/readyz`)
            : async (pid) => (await ok(url)) || polling(opts.temporal, pid),
        readyTimeoutMs: 120_000,
      });
      const replica = Object.assign(child, { url });
      opts.started(replica);
      return replica;
    }),
  );
}
