import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The last CLI release whose go.mod has no `replace`, so `go install` accepts it. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

export function temporalCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'switchboard', `temporal-${TEMPORAL_CLI_VERSION}`);
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Looks without building: TEMPORAL_CLI_PATH, then PATH, then our cache. */
export function findTemporalCli(): string | undefined {
  const configured = process.env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`TEMPORAL_CLI_PATH=${configured} does not exist`);
    return configured;
  }
  const cached = join(temporalCacheDir(), 'temporal');
  return onPath('temporal') ?? (existsSync(cached) ? cached : undefined);
}

/**
 * Finds the Temporal CLI or builds it with the Go toolchain into the cache (minutes the first
 * time). Returns undefined when there is no Go either: callers then let the SDK download it.
 */
export async function ensureTemporalCli(log: (line: string) => void = console.error): Promise<string | undefined> {
  const found = findTemporalCli();
  if (found) return found;
  const go = onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go || spawnSync(go, ['version']).status !== 0) {
    log('temporal CLI not found and no Go toolchain: falling back to the SDK download');
    return undefined;
  }
  const dir = temporalCacheDir();
  mkdirSync(dir, { recursive: true });
  log(`building the Temporal CLI ${TEMPORAL_CLI_VERSION} into ${dir} (first time only, a few minutes)…`);
  const started = Date.now();
  const ticker = setInterval(() => log(`  …still building (${Math.round((Date.now() - started) / 1000)}s)`), 30_000);
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(go, ['install', `${MODULE}@${TEMPORAL_CLI_VERSION}`], {
        env: { ...process.env, GOBIN: dir },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install exited with ${code}`))));
    });
  } finally {
    clearInterval(ticker);
  }
  log(`built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)}s`);
  return join(dir, 'temporal');
}
