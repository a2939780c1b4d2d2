import { describe, expect, inject, it } from 'vitest';
import { ledgerDiscrepancy, post } from '../src/db/queries/wallet-queries';
import { createDesk, type Desk, eventually, openChat, openChats, replyAsClient } from './helpers/fixtures';
import { useHarness } from './helpers/use-harness';
import { recordHistoryIfAsked } from './helpers/record-history';

const h = useHarness();

const reply = (desk: Desk, conversationId: string, body = 'Thanks for writing') =>
  replyAsClient(h, desk.operatorKey, conversationId, body);

const wallet = async (desk: Desk) => (await h.request('GET', '/v1/wallet', { key: desk.adminKey })).body;

async function ledgerKinds(desk: Desk): Promise<string[]> {
  const rows = await h.database.sql`select kind from ledger_entries where org_id = ${desk.orgId} order by created_at`;
  return rows.map((r) => r.kind as string);
}

async function grantCredits(desk: Desk, credits: number) {
  await h.database.db.transaction((tx) =>
    post(tx, { orgId: desk.orgId, kind: 'adjustment', credits, idempotencyKey: `test-grant:${desk.orgId}` }),
  );
}

describe('charging messages (F14)', () => {
  it('debits one credit per reply and shows the balance in exact points', async () => {
    const desk = await createDesk(h, { points: 5 });
    const sent = await reply(desk, (await openChat(h, desk)).id);
    expect(sent.status).toBe(201);
    expect(sent.body.message.creditsCharged).toBe(1);
    const w = await wallet(desk);
    expect(w.wallet.balance).toEqual({ credits: 1999, points: '4.9975', usd: '9.995' });
    expect(w.ledger[0]).toMatchObject({ kind: 'message_debit', credits: -1, reference: sent.body.message.id });
    expect(await ledgerDiscrepancy(h.database.db, desk.orgId)).toBe(0);
  });

  it('refuses a reply without points with 402: nothing sent, nothing charged, nothing stored', async () => {
    const desk = await createDesk(h, { points: 0 });
    const conversationId = (await openChat(h, desk)).id;
    const before = h.emulator.sentMessages().length;
    const res = await reply(desk, conversationId);
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ code: 'insufficient_points', balanceCredits: 0, neededCredits: 1 });
    expect(res.body.error.message).toContain('0.0025 points');
    expect(h.emulator.sentMessages()).toHaveLength(before);
    expect(await ledgerKinds(desk)).toEqual([]);
    const detail = await h.request('GET', `/v1/conversations/${conversationId}`, { key: desk.operatorKey });
    expect(detail.body.messages.filter((m: any) => m.direction === 'outbound')).toEqual([]);
  });

  it('sends exactly as many of 600 concurrent replies as there are credits (300)', async () => {
    const desk = await createDesk(h, { points: 0, maxConcurrentChats: 100 });
    await grantCredits(desk, 300);
    // Spread so each conversation stays well within Temporal's 10 in-flight updates per workflow: the race under test is the wallet's.
    const conversations = (await openChats(h, desk, 100)).map((c) => c.id as string);
    const statuses = await Promise.all(
      Array.from({ length: 600 }, (_, i) => reply(desk, conversations[i % 100]!, `reply ${i}`).then((r) => r.status)),
    );
    const byStatus = statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ 201: 300, 402: 300 });
    expect(h.emulator.sentMessages().filter((m) => m.from === `whatsapp:${desk.number.e164}`)).toHaveLength(300);
    expect((await wallet(desk)).wallet.balance.credits).toBe(0);
    expect(await ledgerDiscrepancy(h.database.db, desk.orgId)).toBe(0);
    // A hang guard, not a performance bound: 300 sends through one worker on two shared cores take tens of seconds.
  }, 180_000);

  it('refunds the credit of a message Twilio refuses outright', async () => {
    const desk = await createDesk(h, { points: 1 });
    const conversationId = (await openChat(h, desk)).id;
    h.emulator.failNextSend({ code: 21408, message: 'Permission to send to this region is not enabled' });
    const res = await reply(desk, conversationId);
    expect(res.status).toBe(502);
    expect(res.body.error).toMatchObject({ code: 'provider_rejected', providerErrorCode: '21408' });
    expect(await ledgerKinds(desk)).toEqual(['purchase', 'message_debit', 'refund']);
    expect((await wallet(desk)).wallet.balance.credits).toBe(400);
  });

  it("maps Twilio's 63016 (window closed) to 409 and refunds the credit", async () => {
    const desk = await createDesk(h, { points: 1 });
    const conversationId = (await openChat(h, desk)).id;
    h.emulator.failNextSend({
      code: 63016,
      message: 'Failed to send freeform message because you are outside the allowed window.',
    });
    const res = await reply(desk, conversationId);
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'outside_customer_service_window', providerErrorCode: '63016' });
    expect((await wallet(desk)).wallet.balance.credits).toBe(400);
  });

  it('charges a reply once when its worker stops between the debit and the send', async () => {
    const desk = await createDesk(h, { points: 1 });
    const conversationId = (await openChat(h, desk)).id;
    h.emulator.failNextSend({ to: undefined, code: 20500, status: 500, message: 'Internal Server Error', times: 1000 });
    const pending = reply(desk, conversationId, 'survives a restart');
    await eventually(async () => {
      const rows = await h.database
        .sql`select status from messages where body = 'survives a restart' and org_id = ${desk.orgId}`;
      return rows[0]?.status === 'pending';
    }, 'the reply to be debited and waiting to send');
    await h.stopWorker();
    h.emulator.clearFailures();
    await h.startWorker();
    expect((await pending).status).toBe(201);
    await eventually(
      () => h.emulator.sentMessages().some((m) => m.body === 'survives a restart'),
      'the reply to be sent once Twilio answers again',
      // Its tries back off (at most a minute apart) while Twilio fails; the next one sends it.
      90_000,
    );
    expect(h.emulator.sentMessages().filter((m) => m.body === 'survives a restart')).toHaveLength(1);
    expect(await ledgerKinds(desk)).toEqual(['purchase', 'message_debit']);
    expect(await ledgerDiscrepancy(h.database.db, desk.orgId)).toBe(0);
  }, 120_000);
});

describe('buying points', () => {
  it('charges a purchase replayed with the same Idempotency-Key once', async () => {
    const desk = await createDesk(h, { points: 0 });
    await h.request('PUT', '/v1/billing/payment-method', { key: desk.adminKey, body: { token: 'tok_sandbox_visa' } });
    const buy = () =>
      h.request('POST', '/v1/wallet/purchases', {
        key: desk.adminKey,
        body: { points: 3 },
        headers: { 'idempotency-key': 'order-2026-0001' },
      });
    const [first, again] = [await buy(), await buy()];
    expect(first.status).toBe(201);
    expect(again.body.purchase).toEqual(first.body.purchase);
    expect(first.body.purchase.amountUsd).toBe('6.00');
    expect(h.paymentGateway.charges.filter((c) => c.idempotencyKey.endsWith('order-2026-0001'))).toHaveLength(1);
    expect((await wallet(desk)).wallet.balance).toEqual({ credits: 1200, points: '3', usd: '6.00' });
  });

  it('answers a declined card with 402 and its reason, and changes nothing', async () => {
    const desk = await createDesk(h, { points: 0 });
    await h.request('PUT', '/v1/billing/payment-method', {
      key: desk.adminKey,
      body: { token: 'tok_sandbox_insufficient_funds' },
    });
    const res = await h.request('POST', '/v1/wallet/purchases', {
      key: desk.adminKey,
      body: { points: 2 },
      headers: { 'idempotency-key': 'declined-0001' },
    });
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ code: 'payment_declined', declineCode: 'insufficient_funds' });
    expect(res.body.error.message).toContain('insufficient funds');
    expect(await ledgerKinds(desk)).toEqual([]);
  });

  it('refuses purchases without a card, without an Idempotency-Key, or of no points', async () => {
    const desk = await createDesk(h, { points: 0 });
    const noCard = await h.request('POST', '/v1/wallet/purchases', {
      key: desk.adminKey,
      body: { points: 1 },
      headers: { 'idempotency-key': 'no-card-0001' },
    });
    expect([noCard.status, noCard.body.error.code]).toEqual([402, 'payment_method_required']);
    const noKey = await h.request('POST', '/v1/wallet/purchases', { key: desk.adminKey, body: { points: 1 } });
    expect([noKey.status, noKey.body.error.code]).toEqual([400, 'validation_failed']);
    const zero = await h.request('POST', '/v1/wallet/purchases', {
      key: desk.adminKey,
      body: { points: 0 },
      headers: { 'idempotency-key': 'zero-0001' },
    });
    expect(zero.status).toBe(400);
    const cardNumber = await h.request('PUT', '/v1/billing/payment-method', {
      key: desk.adminKey,
      body: { token: '4242424242424242' },
    });
    expect(cardNumber.status).toBe(400);
    expect(cardNumber.body.error.message).toContain('never a card number');
  });
});

describe('auto-refill', () => {
  it('refills exactly once however many debits cross the threshold', async () => {
    const desk = await createDesk(h, { points: 1 });
    const settings = await h.request('PUT', '/v1/wallet/auto-refill', {
      key: desk.adminKey,
      body: { enabled: true, thresholdPoints: 1, refillPoints: 2 },
    });
    expect(settings.status).toBe(200);
    const conversations = (await openChats(h, desk, 10)).map((c) => c.id as string);
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => reply(desk, conversations[i % 10]!, `r${i}`).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 201)).toBe(true);
    await eventually(async () => (await ledgerKinds(desk)).includes('refill'), 'the refill');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await ledgerKinds(desk)).filter((k) => k === 'refill')).toHaveLength(1);
    expect((await wallet(desk)).wallet.balance.credits).toBe(400 + 800 - 200);
    expect(await ledgerDiscrepancy(h.database.db, desk.orgId)).toBe(0);
    recordHistoryIfAsked(inject('temporalAddress'), `wallet:${desk.orgId}`, 'wallet-purchase-then-refill');
  }, 180_000);

  it('retries a declining card a bounded number of times, then pauses and says why', async () => {
    const desk = await createDesk(h, { points: 1 });
    await h.request('PUT', '/v1/billing/payment-method', {
      key: desk.adminKey,
      body: { token: 'tok_sandbox_declined' },
    });
    await h.request('PUT', '/v1/wallet/auto-refill', {
      key: desk.adminKey,
      body: { enabled: true, thresholdPoints: 1, refillPoints: 1 },
    });
    expect((await reply(desk, (await openChat(h, desk)).id)).status).toBe(201);
    const paused = await eventually(
      async () => {
        const w = await wallet(desk);
        return w.wallet.autoRefill.state === 'paused' && w.wallet.autoRefill;
      },
      'auto-refill to pause',
      20_000,
    );
    expect(paused.pausedReason).toMatch(/after 3 failed attempts: Your card was declined/);
    const declined = await h.database
      .sql`select count(*)::int as n from payments where org_id = ${desk.orgId} and status = 'declined'`;
    expect(declined[0]!.n).toBe(3);
  });

  it('refuses settings that could never work', async () => {
    const desk = await createDesk(h, { points: 0 });
    const res = await h.request('PUT', '/v1/wallet/auto-refill', {
      key: desk.adminKey,
      body: { enabled: true, thresholdPoints: 0, refillPoints: 0 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: any) => f.field).sort()).toEqual(['refillPoints', 'thresholdPoints']);
  });
});

describe('wallet visibility', () => {
  it("keeps one organisation's wallet from another's keys", async () => {
    const [a, b] = [await createDesk(h, { points: 2 }), await createDesk(h, { points: 0 })];
    expect((await wallet(b)).wallet.balance.credits).toBe(0);
    expect((await wallet(a)).wallet.balance.credits).toBe(800);
    const op = await h.request('GET', '/v1/wallet', { key: a.operatorKey });
    expect(op.status).toBe(403);
  });
});
