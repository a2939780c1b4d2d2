import { TestWorkflowEnvironment } from '@temporalio/testing';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { migrateDatabase } from '../../src/db/database';
import { startLocalPostgres, type LocalPostgres } from '../local-postgres';
import { ensureTemporalCli } from '../temporal-cli';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { withDatabase } from './database-url';
import { freePort } from '../free-port';
import { bundleWorkflows } from '../workflow-bundle';
import type { StackServices } from './test-stack';

const TEMPLATE = 'switchboard_template';
export const SUGGEST_CONTINUE_AS_NEW_AT = 1000;

/**
 * One real Temporal dev server and one real PostgreSQL (with a migrated template database) and
 * the workflow bundle, shared by every stack a test run or benchmark starts.
 */
export async function startServices(): Promise<{ services: StackServices; teardown: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  // As root the cluster runs as the postgres user, who must be able to reach its directory.
  chmodSync(dir, 0o755);
  const cli = await ensureTemporalCli();
  const [temporal, pg, bundle] = await Promise.all([
    TestWorkflowEnvironment.createLocal({
      server: {
        executable: cli ? { type: 'existing-path', path: cli } : undefined,
        searchAttributes: ALL_SEARCH_ATTRIBUTES,
        ip: '127.0.0.1',
        // Long-lived workflows continue as new much sooner than in production, so the tests exercise it.
        extraArgs: ['--dynamic-config-value', `limit.historyCount.suggestContinueAsNew=${SUGGEST_CONTINUE_AS_NEW_AT}`],
      },
    }),
    process.env.TEST_DATABASE_URL
      ? Promise.resolve<LocalPostgres>({ url: process.env.TEST_DATABASE_URL, stop: async () => {} })
      : freePort().then((port) => startLocalPostgres({ dataDir: join(dir, 'pg'), port, ephemeral: true })),
    bundleWorkflows(),
  ]);
  const teardown = async () => {
    await temporal.teardown();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const workflowBundlePath = join(dir, 'workflow-bundle.js');
  try {
    const admin = postgres(pg.url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${TEMPLATE}`);
    await admin.unsafe(`create database ${TEMPLATE}`);
    await admin.end();
    await migrateDatabase(withDatabase(pg.url, TEMPLATE));
    writeFileSync(workflowBundlePath, bundle);
  } catch (err) {
    await teardown();
    throw err;
  }
  return {
    services: {
      postgresUrl: pg.url,
      templateDatabase: TEMPLATE,
      temporalAddress: temporal.address,
      workflowBundlePath,
    },
    teardown,
  };
}
