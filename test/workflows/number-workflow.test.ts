import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../src/contracts/failure-types';
import {
  acceptedUpdate,
  cancelUpdate,
  numberStateQuery,
  numberWorkflowType,
  type NumberInput,
  type NumberWorkflow,
} from '../../src/contracts/number-contract';
import type { SubscriptionCharge } from '../../src/contracts/payment-contract';
import type { NumberPolicy } from '../../src/domain/policies';
import { useTimeSkipping } from '../helpers/time-skipping';
import { DAY, iso, numberFakes, refusal, fakeWorkers, type Recorder } from './fakes';

const t = useTimeSkipping();
const { withWorker, track } = fakeWorkers(t);
const PERIOD = 30 * DAY;
const polling = { senderPollSeconds: 5, senderPollMaxSeconds: 60, senderTimeoutSeconds: DAY };
/** Grace for two and a half retries: the retries fall at 0, 1 and 2 days past the period's end, the last at 2.5. */
const policy: NumberPolicy = { periodSeconds: PERIOD, graceSeconds: 2.5 * DAY, graceRetrySeconds: DAY, ...polling };
const NUMBER = { numberId: 'n1', orgId: 'o1', e164: '+15550100', country: 'US', numberType: 'local' as const };
const input: NumberInput = { ...NUMBER, monthlyPriceCents: 150, displayName: 'Acme', wabaId: 'waba-1', policy };
const declined: SubscriptionCharge = { outcome: 'declined', reason: 'Card expired' };
const charged = (amountCents: number): SubscriptionCharge => ({ outcome: 'charged', paymentId: 'p', amountCents });
/** Charges month 1, declines month 2 while `card.ok` is false. */
const renewalDeclined = (card: { ok: boolean }) => ({
  chargeSubscription: ({ idempotencyKey, amountCents }: { idempotencyKey: string; amountCents: number }) =>
    idempotencyKey.includes(':1:') || card.ok ? charged(amountCents) : declined,
});

async function startNumber(taskQueue: string) {
  const workflowId = `number-${randomUUID()}`;
  return track(
    await t.client.workflow.start<NumberWorkflow>(numberWorkflowType, { workflowId, taskQueue, args: [input] }),
  );
}

/** Starts the number and lets its setup run; returns when the first paid period ends (epoch ms). */
async function startLive(taskQueue: string, rec: Recorder) {
  const handle = await startNumber(taskQueue);
  await t.env.sleep('1 hour');
  const [paid] = rec.inputs('markNumberPaid');
  return { handle, expiresAt: Date.parse(paid.expiresAt) };
}

const sleepUntil = async (at: number) => t.env.sleep(at - (await t.env.currentTimeMs()));
const keys = (rec: Recorder) => rec.inputs('chargeSubscription').map((c) => c.idempotencyKey);

describe('number workflow', () => {
  it('charges the first month only once the WhatsApp sender is ONLINE, polling it through its review', async () => {
    const { rec, activities } = numberFakes(t, ['CREATING', 'PENDING_VERIFICATION', 'PENDING_VERIFICATION', 'ONLINE']);
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startLive(taskQueue, rec);
      expect(await handle.query(numberStateQuery)).toMatchObject({ status: 'active', subscriptionState: 'active' });
    });
    const steps = rec.inputs('noteNumberProgress').map((i) => i.step);
    const review = ['sender_creating', 'sender_pending_verification', 'sender_online'];
    expect(steps).toEqual(['registering_sender', ...review, 'charging']);
    const polls = rec.of('fetchSender').map((c) => c.at);
    expect(polls).toHaveLength(4);
    // Back-off: 5 s, then 10 s, then 20 s between polls.
    [5, 10, 20].forEach((s, i) => expect(polls[i + 1]! - polls[i]!).toBeGreaterThanOrEqual(s * 1000));
    expect(rec.names().indexOf('chargeSubscription')).toBeGreaterThan(rec.names().lastIndexOf('fetchSender'));
    expect(rec.inputs('chargeSubscription')).toEqual([
      { orgId: 'o1', idempotencyKey: 'subscription:n1:1:1', amountCents: 150, description: expect.any(String) },
    ]);
  });

  it('fails a number whose sender goes OFFLINE, releasing the number and sender and charging nothing', async () => {
    const { rec, activities } = numberFakes(t, ['CREATING', 'OFFLINE']);
    const view = await withWorker(activities, async (taskQueue) => (await startNumber(taskQueue)).result());
    expect(view).toMatchObject({
      status: 'failed',
      statusReason: expect.stringContaining('OFFLINE: Display name rejected'),
    });
    expect(rec.inputs('releaseNumber')).toEqual([{ orgId: input.orgId, providerSid: 'PN1', senderSid: 'XE1' }]);
    expect(rec.of('chargeSubscription')).toEqual([]);
  });

  it('fails a number someone else took first, with nothing to release and nothing charged', async () => {
    const taken = { buyNumber: () => ({ unavailable: 'The number is no longer available' }) };
    const { rec, activities } = numberFakes(t, ['ONLINE'], taken);
    const view = await withWorker(activities, async (taskQueue) => (await startNumber(taskQueue)).result());
    expect(view).toMatchObject({ status: 'failed', statusReason: 'The number is no longer available' });
    expect(rec.names()).not.toContain('registerSender');
    expect(rec.names()).not.toContain('releaseNumber');
    expect(rec.names()).not.toContain('chargeSubscription');
  });

  it('renews at the end of the period, charging month 2 with key subscription:<numberId>:2:1', async () => {
    const { rec, activities } = numberFakes(t);
    await withWorker(activities, async (taskQueue) => {
      const { expiresAt } = await startLive(taskQueue, rec);
      await sleepUntil(expiresAt - 3600_000);
      expect(keys(rec)).toEqual(['subscription:n1:1:1']);
      await t.env.sleep('2 hours');
      expect(keys(rec)).toEqual(['subscription:n1:1:1', 'subscription:n1:2:1']);
      expect(rec.of('chargeSubscription')[1]!.at).toBeGreaterThanOrEqual(expiresAt);
      expect(rec.inputs('markNumberPaid')[1]).toEqual({ numberId: 'n1', expiresAt: iso(expiresAt + PERIOD * 1000) });
    });
  });

  it('retries a declined renewal every graceRetrySeconds while past_due, then releases the number', async () => {
    const { rec, activities } = numberFakes(t, ['ONLINE'], renewalDeclined({ ok: false }));
    const view = await withWorker(activities, async (taskQueue) => (await startNumber(taskQueue)).result());
    expect(keys(rec)).toEqual(['subscription:n1:1:1', ...[1, 2, 3, 4].map((n) => `subscription:n1:2:${n}`)]);
    const tries = rec.of('chargeSubscription').map((c) => c.at);
    expect(tries[3]! - tries[2]!).toBeGreaterThanOrEqual(DAY * 1000);
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(DAY * 1000);
    // The last try is when grace ends (2.5 d), however little of a retry interval is left by then.
    const graceEnds = Date.parse(rec.inputs('markNumberPaid')[0].expiresAt) + policy.graceSeconds * 1000;
    expect([tries[4]! >= graceEnds, tries[4]! - graceEnds < 3600_000]).toEqual([true, true]);
    const pastDue = rec.inputs('markNumberPastDue').map((i) => i.reason);
    const retrying = `Card expired. Retrying until ${iso(graceEnds)}; update the card to keep the number.`;
    expect(pastDue).toEqual([
      `Renewal failed (attempt 1): ${retrying}`,
      `Renewal failed (attempt 2): ${retrying}`,
      `Renewal failed (attempt 3): ${retrying}`,
      'Renewal failed (attempt 4): Card expired.',
    ]);
    expect(view).toMatchObject({
      status: 'released',
      statusReason: 'Renewal failed through the grace period: Card expired',
    });
    expect(rec.inputs('releaseNumber')).toEqual([{ orgId: input.orgId, providerSid: 'PN1', senderSid: 'XE1' }]);
  });

  it('keeps the number when the card is fixed during the grace period', async () => {
    const card = { ok: false };
    const { rec, activities } = numberFakes(t, ['ONLINE'], renewalDeclined(card));
    await withWorker(activities, async (taskQueue) => {
      const { handle, expiresAt } = await startLive(taskQueue, rec);
      await sleepUntil(expiresAt + 0.5 * DAY * 1000);
      expect(await handle.query(numberStateQuery)).toMatchObject({ subscriptionState: 'past_due' });
      card.ok = true;
      await t.env.sleep('1 day');
      expect(await handle.query(numberStateQuery)).toMatchObject({ status: 'active', subscriptionState: 'active' });
      expect(keys(rec)).toEqual(['subscription:n1:1:1', 'subscription:n1:2:1', 'subscription:n1:2:2']);
      // Paid through one period after the old expiry, not after the late charge.
      expect(rec.inputs('markNumberPaid')[1]).toEqual({ numberId: 'n1', expiresAt: iso(expiresAt + PERIOD * 1000) });
    });
    expect(rec.of('endNumber')).toEqual([]);
  });

  // The past-due reason says "Retrying until <grace end>": a card fixed between the last regular retry (2 d)
  // and the grace end (2.5 d) is charged at the grace end, and the number is not released.
  it('keeps the number when the card is fixed after the last retry but before grace runs out', async () => {
    const card = { ok: false };
    const { rec, activities } = numberFakes(t, ['ONLINE'], renewalDeclined(card));
    await withWorker(activities, async (taskQueue) => {
      const { handle, expiresAt } = await startLive(taskQueue, rec);
      await sleepUntil(expiresAt + 2.25 * DAY * 1000);
      expect(await handle.query(numberStateQuery)).toMatchObject({ status: 'active', subscriptionState: 'past_due' });
      card.ok = true;
      await t.env.sleep('1 day');
      expect(await handle.query(numberStateQuery)).toMatchObject({ status: 'active', subscriptionState: 'active' });
      expect(keys(rec).at(-1)).toBe('subscription:n1:2:4');
      expect(rec.of('chargeSubscription').at(-1)!.at).toBeGreaterThanOrEqual(expiresAt + policy.graceSeconds * 1000);
    });
    expect(rec.of('endNumber')).toEqual([]);
  });

  it('releases a cancelled number at the end of its paid period without charging again', async () => {
    const { rec, activities } = numberFakes(t);
    const view = await withWorker(activities, async (taskQueue) => {
      const { handle, expiresAt } = await startLive(taskQueue, rec);
      expect(await handle.executeUpdate(cancelUpdate)).toMatchObject({ subscriptionState: 'cancelled' });
      expect(rec.of('releaseNumber')).toEqual([]);
      const ended = await handle.result();
      expect(rec.of('releaseNumber')[0]!.at).toBeGreaterThanOrEqual(expiresAt);
      return ended;
    });
    expect(view).toMatchObject({ status: 'released', statusReason: expect.stringContaining('end of the paid period') });
    expect(rec.inputs('releaseNumber')).toEqual([{ orgId: input.orgId, providerSid: 'PN1', senderSid: 'XE1' }]);
    expect(keys(rec)).toEqual(['subscription:n1:1:1']);
  });

  it('refuses to cancel twice with AlreadyCancelled', async () => {
    const { rec, activities } = numberFakes(t);
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startLive(taskQueue, rec);
      await handle.executeUpdate(cancelUpdate);
      expect((await refusal(handle.executeUpdate(cancelUpdate))).type).toBe(FailureType.AlreadyCancelled);
    });
    expect(rec.of('markNumberCancelled')).toHaveLength(1);
  });

  it('refuses to cancel a number still being set up with NumberNotActive', async () => {
    const { rec, activities } = numberFakes(t, ['PENDING_VERIFICATION']);
    await withWorker(activities, async (taskQueue) => {
      const handle = await startNumber(taskQueue);
      expect(await handle.executeUpdate(acceptedUpdate)).toMatchObject({ status: 'pending' });
      expect((await refusal(handle.executeUpdate(cancelUpdate))).type).toBe(FailureType.NumberNotActive);
    });
    expect(rec.of('markNumberCancelled')).toEqual([]);
  });
});
