import { beforeEach, describe, expect, inject, it } from 'vitest';
import { createDesk } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';
import { recordHistoryIfAsked } from './helpers/record-history';
import { approvedOrg, numberReaching } from './helpers/onboarding-fixtures';

// A month is 3 s here; a failed renewal is retried every half second through a 2-second grace period.
const h = useHarness({
  numberPolicy: {
    periodSeconds: 3,
    graceSeconds: 2,
    graceRetrySeconds: 0.5,
    senderPollSeconds: 0.2,
    senderPollMaxSeconds: 0.5,
    senderTimeoutSeconds: 30,
  },
});
const org = useFixture(() => approvedOrg(h));
beforeEach(async () => {
  expect((await card('tok_sandbox_visa')).status).toBe(200);
});

let picked = 0;
async function liveNumber(): Promise<{ id: string; phoneNumber: string; expiresAt: string }> {
  const listed = await h.request('GET', '/v1/whatsapp/numbers/available?country=GB&type=mobile', { key: org.adminKey });
  const phoneNumber: string = listed.body.numbers[picked++].phoneNumber;
  const bought = await h.request('POST', '/v1/whatsapp/numbers', {
    key: org.adminKey,
    body: { phoneNumber, country: 'GB', type: 'mobile' },
  });
  expect(bought.status).toBe(202);
  const live = await numberReaching(h, org, bought.body.number.id, ['active', 'failed']);
  expect(live.status).toBe('active');
  return { id: live.id, phoneNumber, expiresAt: live.subscription.expiresAt };
}

const card = (token: string) => h.request('PUT', '/v1/billing/payment-method', { key: org.adminKey, body: { token } });
const cancel = (numberId: string, key = org.adminKey) =>
  h.request('DELETE', `/v1/whatsapp/numbers/${numberId}`, { key });
const charges = async (numberId: string) =>
  (
    await h.database
      .sql`select status from payments where idempotency_key like ${`subscription:${numberId}:%`} order by created_at`
  ).map((r) => r.status as string);

async function numberWhere(numberId: string, check: (n: any) => boolean, what: string) {
  for (let i = 0; i < 200; i++) {
    const n = (await h.request('GET', '/v1/whatsapp/numbers', { key: org.adminKey })).body.numbers.find(
      (x: any) => x.id === numberId,
    );
    if (check(n)) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('number subscriptions (F13)', () => {
  it('renews at expiry, and after a cancel releases the number when the paid period ends', async () => {
    const number = await liveNumber();
    const renewed = await numberWhere(number.id, (n) => n.subscription.expiresAt !== number.expiresAt, 'the renewal');
    expect(Date.parse(renewed.subscription.expiresAt) - Date.parse(number.expiresAt)).toBe(3000);
    expect(renewed.subscription.state).toBe('active');

    const cancelled = await cancel(number.id);
    expect([
      cancelled.status,
      cancelled.body.number.subscription.state,
      cancelled.body.number.subscription.renewsAutomatically,
    ]).toEqual([200, 'cancelled', false]);
    expect(cancelled.body.number.status).toBe('active');
    const twice = await cancel(number.id);
    expect([twice.status, twice.body.error.code]).toEqual([409, 'already_cancelled']);

    const released = await numberReaching(h, org, number.id, ['released']);
    expect(released.statusReason).toContain('Cancelled by an admin');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(renewed.subscription.expiresAt));
    expect(h.emulator.releasedNumbers()).toContain(number.phoneNumber);
    expect(await charges(number.id)).toEqual(['succeeded', 'succeeded']);
    const workflowId = `number:${org.orgId}:${number.phoneNumber}`;
    await h.temporal.workflow.getHandle(workflowId).result();
    recordHistoryIfAsked(inject('temporalAddress'), workflowId, 'number-renewed-then-cancelled');
  });

  it('retries a declined renewal through the grace period, then releases the number', async () => {
    const number = await liveNumber();
    await card('tok_sandbox_declined');
    const pastDue = await numberWhere(number.id, (n) => n.subscription.state === 'past_due', 'the renewal to fail');
    expect(pastDue.status).toBe('active');
    expect(pastDue.statusReason).toMatch(
      /^Renewal failed \(attempt 1\): Your card was declined\. \(card_declined\)\. Retrying until /,
    );
    const released = await numberReaching(h, org, number.id, ['released']);
    expect(released.statusReason).toContain('Renewal failed through the grace period');
    expect(h.emulator.releasedNumbers()).toContain(number.phoneNumber);
    // How many retries fit in the grace period depends on the machine's load; each one is its own declined charge.
    const [first, ...renewals] = await charges(number.id);
    expect(first).toBe('succeeded');
    expect(renewals.length).toBeGreaterThanOrEqual(1);
    expect(renewals.every((s) => s === 'declined')).toBe(true);
  });

  it('keeps the number when the card is fixed during the grace period', async () => {
    const number = await liveNumber();
    await card('tok_sandbox_insufficient_funds');
    const pastDue = await numberWhere(number.id, (n) => n.subscription.state === 'past_due', 'the renewal to fail');
    expect(pastDue.statusReason).toContain('insufficient funds');
    await card('tok_sandbox_visa');
    const recovered = await numberWhere(
      number.id,
      (n) => n.subscription.state === 'active' && n.subscription.expiresAt !== number.expiresAt,
      'the renewal to recover',
    );
    expect([recovered.status, recovered.statusReason]).toEqual(['active', null]);
    expect(Date.parse(recovered.subscription.expiresAt) - Date.parse(number.expiresAt)).toBe(3000);
    expect((await charges(number.id)).filter((s) => s === 'succeeded')).toHaveLength(2);
    expect((await cancel(number.id)).status).toBe(200);
  });

  it('refuses cancelling a number from an existing integration, or another organisation’s number', async () => {
    const desk = await createDesk(h, { points: 0 });
    const existing = await cancel(desk.number.id, desk.adminKey);
    expect([existing.status, existing.body.error.code]).toEqual([409, 'not_a_subscription']);
    const foreign = await cancel(desk.number.id);
    expect(foreign.status).toBe(404);
  });
});
