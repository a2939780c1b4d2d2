/**
 * Run as its own process by test/database-shutdown.test.ts: transactions through `openDatabase` from 40
 * callers while the PostgreSQL it started is shut down immediately (SIGQUIT) three times and started again.
 * Exits 0 once a transaction commits after the last restart, printing how many did; a driver bug that throws
 * outside any query (postgres.js 3.4.9 unpatched: `Cannot read properties of null (reading 'write')`) kills it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalPostgres } from '../../dev/local-postgres';
import { openDatabase } from '../../src/db/database';

/** On stderr, so a run that hangs (killed at the test's timeout) shows how far it got. */
const progress = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

async function main(dataDir: string, port: number): Promise<void> {
  let server = await startLocalPostgres({ dataDir, port, ephemeral: true });
  const { sql, close } = openDatabase(server.url);
  await sql`create table counter (id int primary key, n int not null)`;
  await sql`insert into counter values (1, 0)`;
  let running = true;
  let committed = 0;
  const callers = Array.from({ length: 40 }, async () => {
    while (running) {
      try {
        await sql.begin(async (tx) => {
          await tx`select 1`;
          await tx`update counter set n = n + 1 where id = 1`;
        });
        committed++;
      } catch {
        await sleep(5); // refused while the server is down: the callers' own business
      }
    }
  });
  for (let shutdown = 1; shutdown <= 3; shutdown++) {
    await sleep(1000);
    progress(`shutdown ${shutdown} (${committed} committed so far)`);
    const postmaster = Number(readFileSync(join(dataDir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGQUIT');
    await sleep(1500);
    server = await startLocalPostgres({ dataDir, port, ephemeral: true });
    progress(`PostgreSQL back after shutdown ${shutdown}`);
  }
  const before = committed;
  while (committed === before) await sleep(50); // bounded by the test's timeout, which kills this process
  running = false;
  progress(`${committed - before} committed since; waiting for the callers to finish`);
  await Promise.all(callers);
  progress('callers finished; closing');
  await close();
  await server.stop();
  console.log(JSON.stringify({ committedAfterLastRestart: committed - before }));
}

void main(process.argv[2]!, Number(process.argv[3]));
