import { TestWorkflowEnvironment } from '@temporalio/testing';
import { join } from 'node:path';
import postgres from 'postgres';
import { ALL_SEARCH_ATTRIBUTES } from '../src/contracts/search-attributes';
import { startLocalPostgres } from './local-postgres';
import { ensureTemporalCli } from './temporal-cli';

type OnStop = (stop: () => Promise<void>) => void;
const log = (line: string) => console.error(`[embedded] ${line}`);

export const EMBEDDED_POSTGRES_PORT = 54329;
export const EMBEDDED_TEMPORAL_PORT = 7233;
export const EMBEDDED_TEMPORAL_UI_PORT = 8233;

/** A PostgreSQL cluster kept under the data directory, with a `switchboard` database. */
export async function embeddedPostgres(dataDir: string, onStop: OnStop): Promise<string> {
  const pg = await startLocalPostgres({ dataDir: join(dataDir, 'postgres'), port: EMBEDDED_POSTGRES_PORT, log });
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
export async function embeddedTemporal(dataDir: string, onStop: OnStop): Promise<{ address: string; uiUrl: string }> {
  const cli = await ensureTemporalCli(log);
  log('starting the Temporal dev server');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli } : undefined,
      dbFilename: join(dataDir, 'temporal.sqlite'),
      ip: '127.0.0.1',
      port: EMBEDDED_TEMPORAL_PORT,
      ui: true,
      uiPort: EMBEDDED_TEMPORAL_UI_PORT,
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
    },
  });
  onStop(() => env.teardown());
  return { address: env.address, uiUrl: `http://localhost:${EMBEDDED_TEMPORAL_UI_PORT}` };
}
