import { eq } from 'drizzle-orm';
import type { ChargeResult } from '../src/providers/payments/create-payment-gateway';
import { paymentMethodOf } from '../src/db/queries/billing-queries';
import { post, walletOf } from '../src/db/queries/wallet-queries';
import type { Db } from '../src/db/database';
import { payments, wallets } from '../src/db/schema';
import { CREDITS_PER_POINT, pointsToCents, pointsToCredits } from '../src/domain/money';

export type ChargeOutcome =
  | { outcome: 'charged'; paymentId: string; points: number; amountCents: number; balanceCredits: number }
  | { outcome: 'declined'; code: string; reason: string }
  | { outcome: 'payment_method_required' };

export type BeginCharge =
  | { outcome: 'recorded'; result: ChargeOutcome }
  | { outcome: 'no_payment_method' }
  | { outcome: 'charge'; token: string };

function fromPayment(p: typeof payments.$inferSelect, balanceCredits: number): ChargeOutcome {
  return p.status === 'succeeded'
    ? { outcome: 'charged', paymentId: p.id, points: p.amountCents / 200, amountCents: p.amountCents, balanceCredits }
    : { outcome: 'declined', code: p.declineCode ?? 'declined', reason: p.declineReason ?? 'The card was declined' };
}

export function createWalletActivities({ db }: { db: Db }) {
  return {
    /** A key already charged returns its recorded result: the gateway is asked at most once per key. */
    async beginCharge({ orgId, idempotencyKey }: { orgId: string; idempotencyKey: string }): Promise<BeginCharge> {
      const [existing] = await db.select().from(payments).where(eq(payments.idempotencyKey, idempotencyKey));
      if (existing) return { outcome: 'recorded', result: fromPayment(existing, (await walletOf(db, orgId)).balanceCredits) };
      const method = await paymentMethodOf(db, orgId);
      return method ? { outcome: 'charge', token: method.token } : { outcome: 'no_payment_method' };
    },

    async recordCharge(input: {
      orgId: string;
      idempotencyKey: string;
      purpose: 'points' | 'refill';
      points: number;
      result: ChargeResult;
    }): Promise<ChargeOutcome> {
      // The payment and its credit are written together, so a paid charge is never left uncredited.
      return db.transaction(async (tx) => {
        const { result } = input;
        await tx
          .insert(payments)
          .values({
            orgId: input.orgId,
            idempotencyKey: input.idempotencyKey,
            purpose: input.purpose,
            amountCents: pointsToCents(input.points),
            status: result.status,
            gatewayReference: result.status === 'succeeded' ? result.reference : null,
            declineCode: result.status === 'declined' ? result.code : null,
            declineReason: result.status === 'declined' ? result.reason : null,
          })
          .onConflictDoNothing();
        const [payment] = await tx.select().from(payments).where(eq(payments.idempotencyKey, input.idempotencyKey));
        if (payment!.status !== 'succeeded') return fromPayment(payment!, 0);
        const credit = await post(tx, {
          orgId: input.orgId,
          kind: input.purpose === 'points' ? 'purchase' : 'refill',
          credits: pointsToCredits(input.points),
          idempotencyKey: input.idempotencyKey,
          reference: payment!.id,
        });
        return fromPayment(payment!, credit.balanceCredits);
      });
    },

    /** Whether a refill is still needed; a key already charged means this refill happened. */
    async refillNeeded(input: { orgId: string; idempotencyKey: string; thresholdPoints: number }): Promise<{ needed: boolean }> {
      const [existing] = await db.select({ id: payments.id }).from(payments).where(eq(payments.idempotencyKey, input.idempotencyKey));
      if (existing) return { needed: true };
      const wallet = await walletOf(db, input.orgId);
      return { needed: wallet.balanceCredits < input.thresholdPoints * CREDITS_PER_POINT };
    },

    async pauseAutoRefill({ orgId, reason }: { orgId: string; reason: string }): Promise<void> {
      await db.update(wallets).set({ autoRefillState: 'paused', autoRefillPausedReason: reason, updatedAt: new Date() }).where(eq(wallets.orgId, orgId));
    },
  };
}
