import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../dev/harness/database-url';
import { MIGRATIONS_DIR, migrateDatabase } from '../src/db/database';

const admin = postgres(inject('postgresUrl'), { max: 1, onnotice: () => {} });
const created: string[] = [];
afterAll(async () => {
  for (const name of created) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

/** An empty database, as a first deploy finds it: not even drizzle's bookkeeping schema. */
async function freshDatabase(): Promise<string> {
  const name = `m_${randomUUID().replace(/-/g, '')}`;
  await admin.unsafe(`create database ${name}`);
  created.push(name);
  return withDatabase(inject('postgresUrl'), name);
}

const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
  entries: { tag: string }[];
};

describe('migrations', () => {
  it('applied by five processes starting at once on a fresh database: all succeed, each migration once', async () => {
    const url = await freshDatabase();
    // Two api replicas, a worker and the migrate job (and one more) starting together.
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => migrateDatabase(url)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const applied = await sql`select hash from drizzle.__drizzle_migrations`;
      expect(applied).toHaveLength(journal.entries.length);
      expect(new Set(applied.map((r) => r.hash as string)).size).toBe(journal.entries.length);
      // The schema is there, the last migration's tables included.
      const [tables] = await sql`select count(*)::int as n from pg_tables where schemaname = 'public'`;
      expect(tables!.n).toBeGreaterThan(10);
    } finally {
      await sql.end();
    }
  });

  it('finds nothing to do on a database already migrated', async () => {
    const url = await freshDatabase();
    await migrateDatabase(url);
    await migrateDatabase(url);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const [row] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    await sql.end();
    expect(row!.n).toBe(journal.entries.length);
  });
});
