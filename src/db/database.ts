import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { join } from 'node:path';
import postgres from 'postgres';
import * as schema from './schema';

/** With its postgres.js client, for what drizzle does not do (LISTEN). */
export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
/** Query functions take either the pool or an open transaction. */
export type Tx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  sql: postgres.Sql;
  close: () => Promise<void>;
}

/**
 * A statement PostgreSQL cannot finish in this long (a lock held by a stuck transaction, a stalled disk)
 * is cancelled, so the caller answers 503 before Twilio's 15 s webhook timeout instead of hanging.
 */
export const STATEMENT_TIMEOUT_MS = 10_000;

/**
 * Seconds before a connection of the pool tries again, after the pool's `failures`-th lost connection.
 * postgres.js waits 3^failures / 100 s, up to 20 s, counting every connection of the pool: a restart that
 * drops 20 connections kept a process off a PostgreSQL that was already back for 10 to 20 s, answering
 * 503 all the while. At most a second here (jittered); refused connection attempts cost the server nothing.
 */
export const reconnectDelaySeconds = (failures: number): number =>
  Math.min(0.1 * failures, 1) * (0.5 + Math.random() / 2);

export function openDatabase(url: string, opts: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: opts.max ?? 20,
    onnotice: () => {},
    connect_timeout: 5,
    backoff: reconnectDelaySeconds,
    connection: { statement_timeout: STATEMENT_TIMEOUT_MS },
  });
  return { db: drizzle(sql, { schema }), sql, close: () => sql.end({ timeout: 5 }) };
}

/** Next to this file in the source tree, and next to the compiled database.js in dist/ (the build copies it). */
export const MIGRATIONS_DIR = join(__dirname, 'migrations');

/**
 * Any fixed number: every process that migrates takes this PostgreSQL advisory lock first, so two api
 * replicas, a worker and the one-shot migrate job starting together on a fresh database apply each
 * migration once (unlocked, they race on drizzle's bookkeeping table and on each `create table`).
 */
export const MIGRATION_LOCK_KEY = 4_137_820_111;

export async function migrateDatabase(url: string): Promise<void> {
  // One connection: the session-level lock belongs to the connection the migrations run on, and no
  // statement timeout of ours, so a process waits as long as another's migration takes instead of failing.
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`;
    // The lock is released with the session if this process dies; otherwise explicitly below.
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_DIR });
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
