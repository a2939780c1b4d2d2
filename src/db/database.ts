import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { join } from 'node:path';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
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

export function openDatabase(url: string, opts: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: opts.max ?? 20,
    onnotice: () => {},
    connect_timeout: 5,
    connection: { statement_timeout: STATEMENT_TIMEOUT_MS },
  });
  return { db: drizzle(sql, { schema }), sql, close: () => sql.end({ timeout: 5 }) };
}

export const MIGRATIONS_DIR = join(__dirname, 'migrations');

export async function migrateDatabase(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await sql.end({ timeout: 5 });
  }
}
