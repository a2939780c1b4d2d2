import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/**
 * Temporal's time-skipping test server (Java, from Maven Central) for the fast workflow tests. The
 * SDK would download it from temporal.download; this fetches it with Maven into a cache instead.
 */
const VERSION = '1.38.0';
const MAIN_CLASS = 'io.temporal.testserver.TestServer';
const PATH_VARIABLE = 'TEMPORAL_TEST_SERVER_PATH';

const cacheDir = () =>
  join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'switchboard', `temporal-test-server-${VERSION}`);
const classPath = (dir: string) =>
  readdirSync(join(dir, 'lib'))
    .filter((f) => f.endsWith('.jar'))
    .sort()
    .map((f) => join(dir, 'lib', f))
    .join(':');

const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.switchboard</groupId>
  <artifactId>temporal-test-server-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>${VERSION}</version></dependency>
  </dependencies>
</project>`;

// The SDK runs `<wrapper> <port>`, gives it 5 s to accept connections and SIGKILLs it on teardown: `exec` makes
// the JVM that process; the class-data archive halves its start; the guard kills it if Node dies without teardown.
const wrapper = (dir: string) => `#!/bin/bash
CDS=()
[ -f "${dir}/app-cds.jsa" ] && CDS=(-XX:SharedArchiveFile="${dir}/app-cds.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
parent=$PPID; self=$$
( while kill -0 "$parent" 2>/dev/null && kill -0 "$self" 2>/dev/null; do sleep 1; done; kill -9 "$self" 2>/dev/null ) </dev/null >/dev/null 2>&1 &
exec java "\${CDS[@]}" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k -cp "${classPath(dir)}" ${MAIN_CLASS} "$@"
`;

/** The wrapper to give `TestWorkflowEnvironment.createTimeSkipping` as an existing-path executable. */
export function findJavaTestServer(): string | undefined {
  const configured = process.env[PATH_VARIABLE];
  if (configured) return configured;
  const path = join(cacheDir(), 'temporal-test-server');
  return existsSync(path) ? path : undefined;
}

/** Waits until the port accepts a connection (without writing to it: the server logs garbage as an error). */
async function untilListening(port: number, deadline: number): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error('the Temporal test server did not start within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Finds the test server or fetches it with Maven (a minute the first time), then records a class-data archive. */
export async function ensureJavaTestServer(log: (line: string) => void = console.error): Promise<string> {
  const found = findJavaTestServer();
  if (found) return found;
  for (const tool of ['mvn', 'java']) {
    if (spawnSync(tool, ['-version'], { stdio: 'ignore' }).status !== 0)
      throw new Error(`${tool} is needed to fetch the Temporal test server`);
  }
  const dir = cacheDir();
  const work = mkdtempSync(join(tmpdir(), 'temporal-test-server-'));
  log(`fetching io.temporal:temporal-test-server:${VERSION} with Maven into ${dir} (first time only)…`);
  try {
    writeFileSync(join(work, 'pom.xml'), POM);
    const args = ['-B', '-q', '-Dstyle.color=never', '-f', join(work, 'pom.xml'), 'dependency:copy-dependencies'];
    const fetched = spawnSync('mvn', [...args, '-DincludeScope=runtime', `-DoutputDirectory=${join(dir, 'lib')}`], {
      stdio: 'inherit',
    });
    if (fetched.status !== 0) throw new Error(`mvn exited with ${fetched.status}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  // The archive is written when the JVM exits normally, so start it once, wait for its port, and stop it.
  const port = await freePort();
  const java = spawn(
    'java',
    [
      `-XX:ArchiveClassesAtExit=${join(dir, 'app-cds.jsa')}`,
      '-Xlog:cds=off',
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      '-cp',
      classPath(dir),
      MAIN_CLASS,
      String(port),
    ],
    { stdio: 'ignore' },
  );
  try {
    await untilListening(port, Date.now() + 60_000);
  } finally {
    const exited = new Promise((resolve) => java.once('exit', resolve));
    java.kill('SIGTERM');
    await exited;
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'temporal-test-server');
  writeFileSync(path, wrapper(dir));
  chmodSync(path, 0o755);
  log(`Temporal test server ready: ${path}`);
  return path;
}
