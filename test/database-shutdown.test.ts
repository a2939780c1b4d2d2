import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../dev/free-port';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-shutdown-'));
afterAll(() => {
  // A script that died leaves its server behind.
  const pidFile = join(dataDir, 'pgdata', 'postmaster.pid');
  const postmaster = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
  if (postmaster) spawnSync('kill', ['-QUIT', String(postmaster)]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the database client when PostgreSQL shuts down immediately', () => {
  // A process that dies here takes every webhook and reply in flight with it, on every replica at once.
  it('keeps a busy process alive through three immediate shutdowns and commits again once PostgreSQL is back', async () => {
    const script = join(__dirname, 'helpers', 'immediate-shutdown-load.ts');
    const tsx = join(__dirname, '..', 'node_modules', '.bin', 'tsx');
    const { stdout } = await run(tsx, [script, dataDir, String(await freePort())], { timeout: 90_000 });
    const { committedAfterLastRestart } = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(committedAfterLastRestart).toBeGreaterThan(0);
  }, 120_000);
});
