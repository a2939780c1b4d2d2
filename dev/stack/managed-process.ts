import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';

/**
 * One process of the production stack, as a fault suite handles it: signal it (SIGKILL a crash, SIGSTOP a
 * hang, SIGCONT the recovery), stop it gracefully, or restart it and wait until it is ready again.
 */
export interface StackProcess {
  /** `api-1`, `worker-2`, `temporal`, `postgres`. */
  readonly name: string;
  /** The current process's id; undefined while stopped. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Where its stdout and stderr go, appended across restarts. */
  readonly logFile: string | undefined;
  /** Sends a raw signal and returns at once: the process handles it (or dies) on its own. */
  kill: (signal?: NodeJS.Signals) => void;
  /** Resolves once the process has exited (at once if it is not running). */
  exited: () => Promise<void>;
  /** Graceful stop: SIGCONT (in case it was stopped), its stop signal, then SIGKILL after a grace period. */
  stop: () => Promise<void>;
  /** Stops it if it runs, starts it again, and resolves once it is ready. */
  restart: () => Promise<void>;
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Polled after each start until true; a process that exits meanwhile fails the start with its log file. */
  ready: (pid: number) => Promise<boolean>;
  readyTimeoutMs?: number;
  stopSignal?: NodeJS.Signals;
  stopGraceMs?: number;
}

/**
 * Should the stack's own process die without stopping it (a test runner's timeout kills it, say), the
 * kernel then kills the children too, rather than leave them holding ports and CPU: setpriv sets the
 * parent-death signal and execs in place, so the pid is still the child's own.
 */
const SETPRIV = '/usr/bin/setpriv';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; `failed` returning a reason ends the wait early. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  failed: () => string | undefined = () => undefined,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reason = failed();
    if (reason) throw new Error(`${what}: ${reason}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${Math.round(timeoutMs / 1000)}s`);
    await sleep(250);
  }
}

/** Whether a process with this id exists (a signal 0 is delivered). */
export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A child process that writes to its own log file. It runs in its own process group (detached), so a
 * Ctrl-C in the terminal reaches only the stack, which then stops the processes in order (replicas before
 * Temporal, Temporal before PostgreSQL) instead of all of them at once.
 */
export async function startManagedProcess(spec: ProcessSpec): Promise<StackProcess> {
  let child: ChildProcess | undefined;
  let exit: Promise<void> = Promise.resolve();

  const launch = async () => {
    const fd = openSync(spec.logFile, 'a');
    writeSync(fd, `\n=== ${new Date().toISOString()} starting ${spec.name}: ${spec.command} ${spec.args.join(' ')}\n`);
    const [command, args] = existsSync(SETPRIV)
      ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', spec.command, ...spec.args]]
      : [spec.command, spec.args];
    const started = spawn(command, args, {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    child = started;
    let exitReason: string | undefined;
    exit = new Promise((resolve) =>
      started.once('exit', (code, signal) => {
        exitReason = `exited (${signal ?? `code ${code}`}); see ${spec.logFile}`;
        resolve();
      }),
    );
    started.once('error', (err) => (exitReason = `could not start: ${err.message}`));
    await waitFor(
      `${spec.name} (pid ${started.pid})`,
      () => spec.ready(started.pid!),
      spec.readyTimeoutMs ?? 60_000,
      () => exitReason,
    );
  };

  const handle: StackProcess = {
    name: spec.name,
    logFile: spec.logFile,
    get pid() {
      return handle.running ? child?.pid : undefined;
    },
    get running() {
      return !!child && child.exitCode === null && child.signalCode === null;
    },
    kill(signal = 'SIGKILL') {
      if (handle.running) child!.kill(signal);
    },
    exited: () => exit,
    async stop() {
      if (!handle.running) return;
      child!.kill('SIGCONT');
      child!.kill(spec.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => handle.kill('SIGKILL'), spec.stopGraceMs ?? 15_000);
      await exit;
      clearTimeout(timer);
    },
    async restart() {
      await handle.stop();
      await launch();
    },
  };
  try {
    await launch();
  } catch (err) {
    handle.kill('SIGKILL');
    throw err;
  }
  return handle;
}
