import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ledgerDiscrepancy } from '../src/db/queries/wallet-queries';
import { createDesk, eventually } from './helpers/fixtures';
import { spawnWorker, workerEnv } from './helpers/worker-process';
import { useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));

/** `npm run worker` as its own process, so the test can kill it like a crash would. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const worker = spawnWorker(workerEnv(h));
  await worker.started();
  return worker.child;
}

async function conversationWith(from: string): Promise<string> {
  await h.emulator.playInbound({ from, to: desk.number.e164, body: 'Hi' });
  return eventually(async () => {
    const list = await h.request('GET', '/v1/conversations?status=open', { key: desk.adminKey });
    return list.body.conversations.find((c: any) => c.customerAddress === from)?.id as string | undefined;
  }, 'the conversation');
}

describe('a worker killed mid-reply', () => {
  it('between Twilio accepting the message and recording its SID: sent once, charged once', async () => {
    const conversationId = await conversationWith('+15559990001');
    await h.stopWorker();
    const worker = await startWorkerProcess();
    const release = h.emulator.holdSends();
    const send = () =>
      h.request('POST', `/v1/conversations/${conversationId}/messages`, {
        key: desk.operatorKey,
        body: { body: 'crash-proof' },
        headers: { 'idempotency-key': 'crash-proof-1' },
      });
    const pending = send();
    await eventually(
      () => h.emulator.sentMessages().some((m) => m.body === 'crash-proof'),
      'Twilio to receive the reply',
    );
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    process.kill(-worker.pid!, 'SIGKILL');
    await exited;
    release();
    await h.startWorker();

    // With its worker gone the API may answer 503 in time; a client retries with the same key, as told.
    const answer = await pending;
    expect((answer.status === 503 ? await send() : answer).status).toBe(201);
    const sent = await eventually(async () => {
      const rows = await h.database.sql`select provider_sid from messages where body = 'crash-proof'`;
      return rows[0]?.provider_sid as string | undefined;
    }, 'the reply to be recorded with its Twilio SID');
    // Twilio has no idempotency key for messages: the retried send looked for the first one and adopted it.
    const atTwilio = h.emulator.sentMessages().filter((m) => m.body === 'crash-proof');
    expect(atTwilio.map((m) => m.sid)).toEqual([sent]);
    const debits = await h.database
      .sql`select count(*)::int as n from ledger_entries where org_id = ${desk.orgId} and kind = 'message_debit'`;
    expect(debits[0]!.n).toBe(1);
    expect((await h.request('GET', '/v1/wallet', { key: desk.adminKey })).body.wallet.balance.credits).toBe(399);
    expect(await ledgerDiscrepancy(h.database.db, desk.orgId)).toBe(0);
  }, 90_000);
});
