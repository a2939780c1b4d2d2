import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../src/db/client';
import { startLocalPostgres, type LocalPostgres } from '../src/dev/postgres';
import { ensureTemporalCli } from '../src/dev/temporal-cli';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const TEMPLATE = 'switchboard_template';

/**
 * One real Temporal dev server and one real PostgreSQL for the whole run; each test file then
 * gets its own database (cloned from a migrated template) and its own task queue.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const cli = await ensureTemporalCli();
  const [temporal, pg, bundle] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: cli ? { type: 'existing-path', path: cli } : undefined,
        searchAttributes: ALL_SEARCH_ATTRIBUTES,
        ip: '127.0.0.1',
      },
    }),
    process.env.TEST_DATABASE_URL
      ? Promise.resolve<LocalPostgres>({ url: process.env.TEST_DATABASE_URL, stop: async () => {} })
      : startLocalPostgres({ dataDir: join(dir, 'pg'), port: 20_000 + Math.floor(Math.random() * 20_000), ephemeral: true }),
    bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietLogger }),
  ]);
  const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${TEMPLATE}`);
  await admin.unsafe(`create database ${TEMPLATE}`);
  await migrateDatabase(withDatabase(pg.url, TEMPLATE));
  await admin.end();

  const workflowBundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, bundle.code);

  project.provide('temporalAddress', temporal.address);
  project.provide('postgresUrl', pg.url);
  project.provide('templateDatabase', TEMPLATE);
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    await temporal.teardown();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
