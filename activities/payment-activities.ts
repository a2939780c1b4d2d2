import { ApplicationFailure } from '@temporalio/activity';
import { eq } from 'drizzle-orm';
import { GatewayUnavailableError, type ChargeResult, type PaymentGateway } from '../src/providers/payments/create-payment-gateway';
import type { Db } from '../src/db/database';
import { paymentMethodOf } from '../src/db/queries/billing-queries';
import { payments } from '../src/db/schema';
import { pointsToCents } from '../src/domain/money';

export type SubscriptionCharge =
  | { outcome: 'charged'; paymentId: string; amountCents: number }
  | { outcome: 'declined'; reason: string }
  | { outcome: 'payment_method_required' };

export function createPaymentActivities({ paymentGateway, db }: { paymentGateway: PaymentGateway; db: Db }) {
  async function charge(input: { idempotencyKey: string; amountCents: number; token: string; description: string }): Promise<ChargeResult> {
    try {
      return await paymentGateway.charge({ idempotencyKey: input.idempotencyKey, amountCents: input.amountCents, paymentMethodToken: input.token, description: input.description });
    } catch (err) {
      if (err instanceof GatewayUnavailableError) throw ApplicationFailure.retryable(err.message, 'GatewayUnavailable');
      throw err;
    }
  }

  return {
    /** The only call to the card gateway for points; the key makes Temporal's retries safe. */
    async chargeCard(input: { idempotencyKey: string; points: number; token: string; description: string }): Promise<ChargeResult> {
      return charge({ ...input, amountCents: pointsToCents(input.points) });
    },

    /**
     * One month of a number (F9/F13). A key already charged returns its recorded result and the
     * gateway dedupes on the same key, so a retry after a crash charges once.
     */
    async chargeSubscription(input: { orgId: string; idempotencyKey: string; amountCents: number; description: string }): Promise<SubscriptionCharge> {
      const recorded = async (): Promise<SubscriptionCharge | undefined> => {
        const [p] = await db.select().from(payments).where(eq(payments.idempotencyKey, input.idempotencyKey));
        if (!p) return undefined;
        return p.status === 'succeeded'
          ? { outcome: 'charged', paymentId: p.id, amountCents: p.amountCents }
          : { outcome: 'declined', reason: `${p.declineReason ?? 'The card was declined'} (${p.declineCode ?? 'declined'})` };
      };
      const earlier = await recorded();
      if (earlier) return earlier;
      const method = await paymentMethodOf(db, input.orgId);
      if (!method) return { outcome: 'payment_method_required' };
      const result = await charge({ idempotencyKey: input.idempotencyKey, amountCents: input.amountCents, token: method.token, description: input.description });
      await db
        .insert(payments)
        .values({
          orgId: input.orgId,
          idempotencyKey: input.idempotencyKey,
          purpose: 'subscription',
          amountCents: input.amountCents,
          status: result.status,
          gatewayReference: result.status === 'succeeded' ? result.reference : null,
          declineCode: result.status === 'declined' ? result.code : null,
          declineReason: result.status === 'declined' ? result.reason : null,
        })
        .onConflictDoNothing();
      return (await recorded())!;
    },
  };
}
