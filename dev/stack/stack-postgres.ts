import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { startLocalPostgres, type LocalPostgres } from '../local-postgres';
import { alive, sleep, waitFor, type StackProcess } from './managed-process';

/** The stack's one PostgreSQL cluster, with a handle to fault and restart it like the other processes. */
export interface StackPostgres {
  /** The superuser's URL on the `postgres` database. */
  url: string;
  process: StackProcess;
}

/** The postmaster's id, from the file PostgreSQL keeps while it runs (the first line). */
function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'pgdata', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * dev/local-postgres.ts's server (initialised once in `dataDir`, kept across runs). After a SIGKILL the
 * postmaster's backends take a moment to notice and exit, and until then a new postmaster refuses the
 * shared memory they hold: restarting retries for a while.
 */
export async function startStackPostgres(opts: {
  dataDir: string;
  port: number;
  ephemeral?: boolean;
  log: (line: string) => void;
}): Promise<StackPostgres> {
  let server: LocalPostgres | undefined;
  const start = async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        server = await startLocalPostgres({ ...opts, log: opts.log });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await sleep(500);
      }
    }
  };
  await start();
  const pid = () => postmasterPid(opts.dataDir);
  const handle: StackProcess = {
    name: 'postgres',
    logFile: undefined,
    get pid() {
      const p = pid();
      return alive(p) ? p : undefined;
    },
    get running() {
      return handle.pid !== undefined;
    },
    kill(signal = 'SIGKILL') {
      const p = handle.pid;
      if (p) process.kill(p, signal);
    },
    exited: () => waitFor('postgres to exit', () => Promise.resolve(!handle.running), 60_000),
    async stop() {
      if (!handle.running) return;
      handle.kill('SIGCONT');
      // PostgreSQL's fast shutdown: open transactions roll back, and it exits cleanly.
      await server?.stop();
      await handle.exited();
    },
    async restart() {
      await handle.stop();
      await start();
    },
  };
  return { url: server!.url, process: handle };
}

/** Creates each database that does not exist yet. */
export async function ensureDatabases(url: string, names: string[]): Promise<void> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (const name of names) {
      const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
      if (!exists) await admin.unsafe(`create database "${name}"`);
    }
  } finally {
    await admin.end();
  }
}
