import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { inject } from 'vitest';
import { eventually } from './fixtures';
import { ACCOUNT_SID, AUTH_TOKEN, SECRETS_KEY, type Harness } from './use-harness';

const ROOT = join(__dirname, '..', '..');

/** What `npm run worker` needs to work for the file's harness: its database, task queue and emulator. */
export const workerEnv = (h: Harness, more: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: h.databaseUrl,
  TEMPORAL_ADDRESS: inject('temporalAddress'),
  TEMPORAL_TASK_QUEUE: h.taskQueue,
  // The bundle the global setup built, as `npm run build` provides one in production.
  WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_API_BASE_URL: h.emulator.url,
  SWITCHBOARD_SECRETS_KEY: SECRETS_KEY.toString('base64'),
  PAYMENT_GATEWAY: 'sandbox',
  PUBLIC_BASE_URL: h.apiUrl,
  LOG_LEVEL: 'info',
  // Its health server on any free port: other files' workers may run at the same time.
  WORKER_HEALTH_PORT: '0',
  ...more,
});

/**
 * `npm run worker` as its own process group (tsx runs node as a child: a signal to the group reaches both),
 * with everything it writes collected; `started` resolves once it polls its task queue.
 */
export function spawnWorker(env: NodeJS.ProcessEnv) {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['worker/worker-main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    exited,
    output: () => output,
    started: () => eventually(() => output.includes('worker polling'), `the worker to start:\n${output}`, 60_000),
  };
}
