import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createServer } from 'node:net';
import { join } from 'node:path';
import postgres from 'postgres';
import { z } from 'zod';
import { ALL_SEARCH_ATTRIBUTES } from '../src/contracts/search-attributes';
import { ConfigError, parseEnv } from '../src/config';
import type { OnStop } from '../src/run-until-signal';
import { startLocalPostgres } from './local-postgres';
import { ensureTemporalCli } from './temporal-cli';

const log = (line: string) => console.error(`[embedded] ${line}`);

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
/** The ports `npm start` gives the services it starts itself; each can be moved. */
const embeddedPorts = z.object({
  EMBEDDED_POSTGRES_PORT: port(54329),
  EMBEDDED_TEMPORAL_PORT: port(7233),
  EMBEDDED_TEMPORAL_UI_PORT: port(8233),
  EMULATOR_PORT: port(4010),
});
export type EmbeddedPorts = z.infer<typeof embeddedPorts>;

export const loadEmbeddedPorts = (env: NodeJS.ProcessEnv = process.env): EmbeddedPorts => parseEnv(embeddedPorts, env);

/**
 * Refuses a port something else already holds: starting beside a stranger (another Temporal on 7233,
 * say) and then talking to it would be worse than not starting.
 */
export async function ensurePortFree(portNumber: number, variable: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new ConfigError(
              `Port ${portNumber} (${variable}) is already in use: stop what holds it, or set ${variable} to a free port`,
            )
          : err,
      ),
    );
    server.listen(portNumber, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** A PostgreSQL cluster kept under the data directory, with a `switchboard` database. */
export async function embeddedPostgres(dataDir: string, portNumber: number, onStop: OnStop): Promise<string> {
  await ensurePortFree(portNumber, 'EMBEDDED_POSTGRES_PORT');
  const pg = await startLocalPostgres({ dataDir: join(dataDir, 'postgres'), port: portNumber, log });
  onStop(pg.stop);
  const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
  const [exists] = await admin`select 1 from pg_database where datname = 'switchboard'`;
  if (!exists) await admin`create database switchboard`;
  await admin.end();
  return pg.url.replace(/\/postgres$/, '/switchboard');
}

/**
 * `temporal server start-dev` with its Web UI and a SQLite file under the data directory, so
 * workflows survive a restart of the whole product.
 */
export async function embeddedTemporal(
  dataDir: string,
  ports: Pick<EmbeddedPorts, 'EMBEDDED_TEMPORAL_PORT' | 'EMBEDDED_TEMPORAL_UI_PORT'>,
  onStop: OnStop,
): Promise<{ address: string; uiUrl: string }> {
  await ensurePortFree(ports.EMBEDDED_TEMPORAL_PORT, 'EMBEDDED_TEMPORAL_PORT');
  await ensurePortFree(ports.EMBEDDED_TEMPORAL_UI_PORT, 'EMBEDDED_TEMPORAL_UI_PORT');
  const cli = await ensureTemporalCli(log);
  log('starting the Temporal dev server');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : undefined,
      dbFilename: join(dataDir, 'temporal.sqlite'),
      ip: '127.0.0.1',
      port: ports.EMBEDDED_TEMPORAL_PORT,
      ui: true,
      uiPort: ports.EMBEDDED_TEMPORAL_UI_PORT,
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
    },
  });
  onStop(() => env.teardown());
  return { address: env.address, uiUrl: `http://localhost:${ports.EMBEDDED_TEMPORAL_UI_PORT}` };
}
