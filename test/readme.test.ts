import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../dev/free-port';

// What a new user does: start `npm start`, then paste the README's shell blocks into another terminal.
const ROOT = join(__dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
// The block that installs and starts things is what the others run after, not one of them.
const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((block) => !/^npm (ci|start|test)\b/m.test(block));

let app: ChildProcess | undefined;
let dir: string;
let port: number;
let emulatorPort: number;

/** `npm start` on free ports, with a data directory of its own; resolves once it prints its banner. */
async function startProduct(): Promise<ChildProcess> {
  const ports = { PORT: await freePort(), EMULATOR_PORT: await freePort() };
  [port, emulatorPort] = [ports.PORT, ports.EMULATOR_PORT];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWITCHBOARD_DATA_DIR: join(dir, 'data'),
    PORT: String(port),
    EMULATOR_PORT: String(emulatorPort),
    EMBEDDED_POSTGRES_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_PORT: String(await freePort()),
    EMBEDDED_TEMPORAL_UI_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  for (const unset of [
    'DATABASE_URL',
    'TEMPORAL_ADDRESS',
    'TWILIO_ACCOUNT_SID',
    'TWILIO_AUTH_TOKEN',
    'PUBLIC_BASE_URL',
  ]) {
    delete env[unset];
  }
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['dev/start.ts'], { cwd: ROOT, env });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Switchboard is running')) resolve();
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  return child;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-readme-'));
  // As root, the embedded PostgreSQL runs as the postgres user, who must reach its directory.
  chmodSync(dir, 0o755);
  // curl as configured here fails on an HTTP error, so a block that gets a 4xx or 5xx fails too.
  writeFileSync(join(dir, '.curlrc'), 'fail-with-body\nshow-error\n');
  app = await startProduct();
});

afterAll(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((resolve) => app!.once('exit', resolve));
    app.kill('SIGINT');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the README, pasted after npm start', () => {
  it('has shell blocks to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  // Its webhook token is in this repository: on the network, anyone could forge customers.
  it("serves the demo on this machine's loopback only, not on its network addresses", async () => {
    const reach = (host: string) =>
      fetch(`http://${host}:${port}/healthz`).then(
        (res) => res.status,
        () => 'refused',
      );
    expect(await reach('127.0.0.1')).toBe(200);
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal);
    for (const address of external) expect(await reach(address!.address)).toBe('refused');
  });

  it.each(blocks.map((block, i) => [i + 1, block.split('\n')[0]!, block]))(
    'runs block %i (%s)',
    (_n, _first, block) => {
      const script = block.replaceAll('localhost:3000', `localhost:${port}`).replaceAll('.data/', `${dir}/data/`);
      const run = spawnSync('timeout', ['150', 'bash', '-euo', 'pipefail', '-c', script], {
        cwd: ROOT,
        env: { ...process.env, CURL_HOME: dir, EMULATOR_PORT: String(emulatorPort) },
        encoding: 'utf8',
      });
      expect(run.status, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    },
    160_000,
  );
});
