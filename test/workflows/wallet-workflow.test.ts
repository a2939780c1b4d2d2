import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../src/contracts/failure-types';
import {
  lowBalanceSignal,
  purchaseUpdate,
  saveAutoRefillUpdate,
  walletStateQuery,
  walletWorkflowType,
  type WalletWorkflow,
} from '../../src/contracts/wallet-contract';
import { useTimeSkipping } from '../helpers/time-skipping';
import { fakeWorkers, refusal, walletFakes, type Recorder } from './fakes';

const t = useTimeSkipping();
const { withWorker, track } = fakeWorkers(t);
const settings = { enabled: true, thresholdPoints: 100, refillPoints: 500 };
const PAUSED = 'Auto-refill paused after 3 failed attempts: Your card was declined. (card_declined)';

async function startWallet(taskQueue: string) {
  const handle = await t.client.workflow.start<WalletWorkflow>(walletWorkflowType, {
    workflowId: `wallet-${randomUUID()}`,
    taskQueue,
    args: [{ orgId: 'o1', settings, refillAttempts: 3, refillBackoffSeconds: 60 }],
  });
  return track(handle);
}

/** A low balance with a declining card: three tries, then auto-refill pauses (time skipped until it has). */
async function pausedWallet(taskQueue: string) {
  const handle = await startWallet(taskQueue);
  await handle.signal(lowBalanceSignal);
  await t.env.sleep('1 hour');
  return handle;
}

const gatewayKeys = (rec: Recorder) => rec.inputs('chargeCard').map((c) => c.idempotencyKey);

describe('wallet workflow', () => {
  it('refills once however many low-balance signals arrive while it refills', async () => {
    const { rec, wallet, activities } = walletFakes(t);
    const charging = rec.hold('chargeCard');
    await withWorker(activities, async (taskQueue) => {
      const handle = await startWallet(taskQueue);
      await handle.signal(lowBalanceSignal);
      await charging.entered;
      for (const _ of [1, 2, 3, 4]) await handle.signal(lowBalanceSignal);
      charging.release();
      await t.env.sleep('1 hour');
      expect(await handle.query(walletStateQuery)).toMatchObject({ refillSeq: 1, pausedReason: null });
    });
    expect(gatewayKeys(rec)).toEqual(['refill:o1:0:1']);
    expect(rec.inputs('chargeCard')[0]).toMatchObject({ points: 500 });
    expect(wallet.balancePoints).toBe(510);
    // The signals that came during the refill asked, once, whether the next refill is due yet.
    expect(rec.inputs('refillNeeded').map((i) => i.idempotencyKey)).toEqual(['refill:o1:0:1', 'refill:o1:1:1']);
  });

  it('retries a declined refill refillAttempts times with back-off, then pauses auto-refill saying why', async () => {
    const { rec, wallet, activities } = walletFakes(t);
    wallet.card = 'declined';
    await withWorker(activities, async (taskQueue) => {
      const handle = await pausedWallet(taskQueue);
      expect(gatewayKeys(rec)).toEqual(['refill:o1:0:1', 'refill:o1:0:2', 'refill:o1:0:3']);
      const tries = rec.of('chargeCard').map((c) => c.at);
      expect(tries[1]! - tries[0]!).toBeGreaterThanOrEqual(60_000);
      expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(120_000);
      expect(rec.inputs('pauseAutoRefill')).toEqual([{ orgId: 'o1', reason: PAUSED }]);
      expect(await handle.query(walletStateQuery)).toMatchObject({ pausedReason: PAUSED });
      // Paused: a low balance no longer charges the card.
      await handle.signal(lowBalanceSignal);
      await t.env.sleep('1 hour');
      expect(rec.of('chargeCard')).toHaveLength(3);
    });
  });

  it('saves auto-refill settings through saveAutoRefillSettings, which resumes a paused wallet', async () => {
    const { rec, wallet, activities } = walletFakes(t);
    wallet.card = 'declined';
    await withWorker(activities, async (taskQueue) => {
      const handle = await pausedWallet(taskQueue);
      const saved = { enabled: true, thresholdPoints: 50, refillPoints: 1000 };
      await handle.executeUpdate(saveAutoRefillUpdate, { args: [saved] });
      expect(rec.inputs('saveAutoRefillSettings')).toEqual([{ orgId: 'o1', settings: saved }]);
      expect(await handle.query(walletStateQuery)).toMatchObject({ settings: saved, pausedReason: null });
    });
  });

  // A paused refill's keys are spent: reusing them would replay its recorded declines and pause again for good.
  it('charges the fixed card on the first refill after a paused wallet is resumed', async () => {
    const { rec, wallet, activities } = walletFakes(t);
    wallet.card = 'declined';
    await withWorker(activities, async (taskQueue) => {
      const handle = await pausedWallet(taskQueue);
      wallet.card = 'ok';
      await handle.executeUpdate(saveAutoRefillUpdate, { args: [settings] });
      await t.env.sleep('1 hour');
      expect(await handle.query(walletStateQuery)).toMatchObject({ refillSeq: 2, pausedReason: null });
      expect(rec.of('chargeCard')).toHaveLength(4);
    });
  });

  it('refuses a declined purchase with PaymentDeclined, carrying the decline code', async () => {
    const { rec, wallet, activities } = walletFakes(t);
    wallet.card = 'declined';
    await withWorker(activities, async (taskQueue) => {
      const handle = await startWallet(taskQueue);
      const refused = await refusal(
        handle.executeUpdate(purchaseUpdate, { args: [{ requestKey: 'k1', points: 500 }] }),
      );
      expect([refused.type, refused.message]).toEqual([FailureType.PaymentDeclined, 'Your card was declined.']);
      expect(refused.details).toEqual([{ declineCode: 'card_declined' }]);
    });
    expect(wallet.balancePoints).toBe(10);
    expect(rec.inputs('recordCharge')).toEqual([expect.objectContaining({ purpose: 'points', points: 500 })]);
  });

  it('refuses a purchase without a card with PaymentMethodRequired, never calling the gateway', async () => {
    const { rec, wallet, activities } = walletFakes(t);
    wallet.card = 'none';
    await withWorker(activities, async (taskQueue) => {
      const handle = await startWallet(taskQueue);
      const refused = await refusal(
        handle.executeUpdate(purchaseUpdate, { args: [{ requestKey: 'k1', points: 500 }] }),
      );
      expect(refused.type).toBe(FailureType.PaymentMethodRequired);
    });
    expect(rec.of('chargeCard')).toEqual([]);
  });

  it('charges purchases with the same request key once, under key purchase:<orgId>:<requestKey>', async () => {
    const { rec, wallet, activities } = walletFakes(t);
    await withWorker(activities, async (taskQueue) => {
      const handle = await startWallet(taskQueue);
      const buy = (requestKey: string) => handle.executeUpdate(purchaseUpdate, { args: [{ requestKey, points: 500 }] });
      const first = await buy('k1');
      expect(await buy('k1')).toEqual(first);
      expect(first).toMatchObject({ outcome: 'charged', points: 500 });
      await buy('k2');
    });
    expect(gatewayKeys(rec)).toEqual(['purchase:o1:k1', 'purchase:o1:k2']);
    expect(wallet.balancePoints).toBe(1010);
  });
});
