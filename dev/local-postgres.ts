import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';

export interface LocalPostgres {
  url: string;
  stop: () => Promise<void>;
}

export interface LocalPostgresOptions {
  dataDir: string;
  port: number;
  /** Skips fsync: for throwaway test clusters only. */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const dir = join(root, v, 'bin');
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  throw new Error(
    'PostgreSQL server binaries not found under /usr/lib/postgresql: install them (apt-get install postgresql) or set DATABASE_URL',
  );
}

/**
 * initdb and postgres refuse to run as root, so as root the cluster belongs to the postgres user.
 * setpriv execs in place (unlike runuser), so signals reach postgres itself.
 */
function asOwner(cmd: string, args: string[]): [string, string[]] {
  const isRoot = process.getuid?.() === 0;
  const drop = ['--reuid=postgres', '--regid=postgres', '--init-groups', '--reset-env'];
  return isRoot ? ['setpriv', [...drop, cmd, ...args]] : [cmd, args];
}

function ownDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() !== 0) return;
  const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gr = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  chownSync(dir, Number(pw.stdout.trim()), Number(gr.stdout.trim()));
}

async function waitUntilAccepting(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`postgres exited with code ${child.exitCode}`);
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  throw new Error('postgres did not accept connections within 30s');
}

/** Starts a real PostgreSQL server from the machine's binaries, initialising the cluster once. */
export async function startLocalPostgres(opts: LocalPostgresOptions): Promise<LocalPostgres> {
  const log = opts.log ?? (() => {});
  const bin = findBinDir();
  const pgdata = join(opts.dataDir, 'pgdata');
  ownDir(opts.dataDir);
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    log(`initialising a PostgreSQL cluster in ${pgdata}`);
    ownDir(pgdata);
    const [cmd, args] = asOwner(join(bin, 'initdb'), [
      '-D',
      pgdata,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-locale',
    ]);
    const res = spawnSync(cmd, args, { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`initdb failed: ${res.stderr || res.stdout}`);
  }
  const settings = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${opts.dataDir}`,
    '-c',
    'max_connections=300',
  ];
  if (opts.ephemeral) settings.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const [cmd, args] = asOwner(join(bin, 'postgres'), ['-D', pgdata, '-p', String(opts.port), ...settings]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `postgres://postgres@127.0.0.1:${opts.port}/postgres`;
  try {
    await waitUntilAccepting(url, child);
  } catch (err) {
    child.kill('SIGINT');
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  log(`PostgreSQL listening on 127.0.0.1:${opts.port}`);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGINT is PostgreSQL's "fast shutdown": rolls back open transactions and exits cleanly.
        child.kill('SIGINT');
      }),
  };
}
