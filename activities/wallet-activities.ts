import { eq } from 'drizzle-orm';
import type { ChargeOutcome, WalletActivities } from '../src/contracts/wallet-contract';
import type { Db, Tx } from '../src/db/database';
import { paymentByKey, paymentMethodOf, recordPayment, type Payment } from '../src/db/queries/billing-queries';
import { emit } from '../src/db/queries/event-queries';
import { post, walletOf } from '../src/db/queries/wallet-queries';
import { wallets } from '../src/db/schema';
import { CENTS_PER_POINT, CREDITS_PER_POINT, pointsToCents, pointsToCredits } from '../src/domain/money';
import { walletRefills } from '../src/metrics';

const outcome = (p: Payment, balanceCredits: number): ChargeOutcome =>
  p.status === 'succeeded'
    ? {
        outcome: 'charged',
        paymentId: p.id,
        points: p.amountCents / CENTS_PER_POINT,
        amountCents: p.amountCents,
        balanceCredits,
      }
    : { outcome: 'declined', code: p.declineCode ?? 'declined', reason: p.declineReason ?? 'The card was declined' };

/** The wallet row's auto-refill columns belong to the wallet workflow: only these activities write them. */
export function createWalletActivities({ db }: { db: Db }): Omit<WalletActivities, 'chargeCard'> {
  const setAutoRefill = (tx: Tx, orgId: string, values: Partial<typeof wallets.$inferInsert>) =>
    tx
      .update(wallets)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(wallets.orgId, orgId));

  return {
    async beginCharge({ orgId, idempotencyKey }) {
      const existing = await paymentByKey(db, idempotencyKey);
      if (existing)
        return { outcome: 'recorded', result: outcome(existing, (await walletOf(db, orgId)).balanceCredits) };
      const method = await paymentMethodOf(db, orgId);
      return method ? { outcome: 'charge', token: method.token } : { outcome: 'no_payment_method' };
    },

    async recordCharge(input) {
      // The payment and its credit are written together, so a paid charge is never left uncredited.
      const result = await db.transaction(async (tx) => {
        const payment = await recordPayment(tx, { ...input, amountCents: pointsToCents(input.points) });
        if (payment.status !== 'succeeded') return outcome(payment, 0);
        const credit = await post(tx, {
          orgId: input.orgId,
          kind: input.purpose === 'points' ? 'purchase' : 'refill',
          credits: pointsToCredits(input.points),
          idempotencyKey: input.idempotencyKey,
          reference: payment.id,
        });
        if (credit.ok && !credit.duplicate) {
          const source = input.purpose === 'points' ? 'purchase' : 'auto_refill';
          const refilled = {
            source,
            points: input.points,
            paymentId: payment.id,
            balanceCredits: credit.balanceCredits,
          };
          await emit(tx, input.orgId, 'wallet.refilled', refilled);
        }
        return outcome(payment, credit.balanceCredits);
      });
      if (input.purpose === 'refill') walletRefills.inc({ outcome: result.outcome });
      return result;
    },

    async refillNeeded({ orgId, idempotencyKey, thresholdPoints }) {
      if (await paymentByKey(db, idempotencyKey)) return { needed: true };
      const wallet = await walletOf(db, orgId);
      return { needed: wallet.balanceCredits < thresholdPoints * CREDITS_PER_POINT };
    },

    async pauseAutoRefill({ orgId, reason }) {
      await db.transaction(async (tx) => {
        const [wallet] = await tx.select().from(wallets).where(eq(wallets.orgId, orgId)).for('update');
        if (wallet?.autoRefillState === 'paused') return;
        await setAutoRefill(tx, orgId, { autoRefillState: 'paused', autoRefillPausedReason: reason });
        await emit(tx, orgId, 'wallet.refill_paused', { reason });
      });
      walletRefills.inc({ outcome: 'paused' });
    },

    /** Saving the settings is also how an admin resumes a paused auto-refill. */
    async saveAutoRefillSettings({ orgId, settings }) {
      await walletOf(db, orgId);
      await setAutoRefill(db, orgId, {
        autoRefillEnabled: settings.enabled,
        thresholdPoints: settings.thresholdPoints,
        refillPoints: settings.refillPoints,
        autoRefillState: settings.enabled ? 'idle' : 'off',
        autoRefillPausedReason: null,
      });
    },
  };
}
