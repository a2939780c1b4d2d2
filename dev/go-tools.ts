import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A command-line tool the project builds from the Go module proxy when the machine lacks it. */
export interface GoTool {
  /** The file `go install` writes (the last element of the module path). */
  binary: string;
  /** What the tool is called, when `binary` is too generic to say (`server`): names its cache directory. */
  name?: string;
  module: string;
  version: string;
  /** Names a binary to use as is. */
  pathVariable: string;
  /** False when only this exact version will do, so a binary of that name on PATH is not trusted. */
  searchPath?: boolean;
}

export function goToolCacheDir(tool: GoTool): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'switchboard', `${tool.name ?? tool.binary}-${tool.version}`);
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Looks without building: the path variable, then PATH (unless the tool says not to), then our cache. */
export function findGoTool(tool: GoTool): string | undefined {
  const configured = process.env[tool.pathVariable];
  if (configured) {
    if (!existsSync(configured)) throw new Error(`${tool.pathVariable}=${configured} does not exist`);
    return configured;
  }
  const cached = join(goToolCacheDir(tool), tool.binary);
  const found = tool.searchPath === false ? undefined : onPath(tool.binary);
  return found ?? (existsSync(cached) ? cached : undefined);
}

/**
 * Finds the tool or builds it with `go install` into the cache (minutes the first time, with
 * progress). Returns undefined when there is no Go toolchain either.
 */
export async function ensureGoTool(
  tool: GoTool,
  log: (line: string) => void = console.error,
): Promise<string | undefined> {
  const found = findGoTool(tool);
  if (found) return found;
  const name = tool.name ?? tool.binary;
  const go = onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go || spawnSync(go, ['version']).status !== 0) {
    log(`${name} not found and no Go toolchain to build it`);
    return undefined;
  }
  const dir = goToolCacheDir(tool);
  mkdirSync(dir, { recursive: true });
  log(`building ${name} ${tool.version} into ${dir} (first time only, a few minutes)…`);
  const started = Date.now();
  const ticker = setInterval(
    () => log(`  …still building ${name} (${Math.round((Date.now() - started) / 1000)}s)`),
    30_000,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(go, ['install', `${tool.module}@${tool.version}`], {
        env: { ...process.env, GOBIN: dir },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`go install ${tool.module} exited with ${code}`)),
      );
    });
  } finally {
    clearInterval(ticker);
  }
  log(`built ${name} in ${Math.round((Date.now() - started) / 1000)}s`);
  return join(dir, tool.binary);
}

/** The last CLI release whose go.mod has no `replace`, so `go install` accepts it. */
export const TEMPORAL_CLI: GoTool = {
  binary: 'temporal',
  module: 'github.com/temporalio/cli/cmd/temporal',
  version: 'v1.5.1',
  pathVariable: 'TEMPORAL_CLI_PATH',
};

/** Stripe's official API mock, for testing the Stripe gateway without the network. */
export const STRIPE_MOCK: GoTool = {
  binary: 'stripe-mock',
  module: 'github.com/stripe/stripe-mock',
  version: 'v0.203.0',
  pathVariable: 'STRIPE_MOCK_PATH',
};

/**
 * Temporal's server, as `npm run stack` runs it: the version docker-compose.yml's image runs, with the
 * same config (deploy/temporal). Only this version is used, never a `server` found on PATH.
 */
export const TEMPORAL_SERVER: GoTool = {
  binary: 'server',
  name: 'temporal-server',
  module: 'go.temporal.io/server/cmd/server',
  version: 'v1.29.1',
  pathVariable: 'TEMPORAL_SERVER_PATH',
  searchPath: false,
};

/** `temporal-sql-tool` of the same release: creates the server's databases and applies its embedded schemas. */
export const TEMPORAL_SQL_TOOL: GoTool = {
  binary: 'sql',
  name: 'temporal-sql-tool',
  module: 'go.temporal.io/server/cmd/tools/sql',
  version: TEMPORAL_SERVER.version,
  pathVariable: 'TEMPORAL_SQL_TOOL_PATH',
  searchPath: false,
};
