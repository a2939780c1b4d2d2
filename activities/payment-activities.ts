import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../src/contracts/failure-types';
import type { ChargeResult, PaymentActivities, SubscriptionCharge } from '../src/contracts/payment-contract';
import type { Db } from '../src/db/database';
import { paymentByKey, paymentMethodOf, recordPayment, type Payment } from '../src/db/queries/billing-queries';
import { pointsToCents } from '../src/domain/money';
import { GatewayUnavailableError, type PaymentGateway } from '../src/providers/payments/payment-gateway';

const subscriptionCharge = (p: Payment): SubscriptionCharge =>
  p.status === 'succeeded'
    ? { outcome: 'charged', paymentId: p.id, amountCents: p.amountCents }
    : { outcome: 'declined', reason: `${p.declineReason ?? 'The card was declined'} (${p.declineCode ?? 'declined'})` };

export function createPaymentActivities({ paymentGateway, db }: { paymentGateway: PaymentGateway; db: Db }) {
  async function charge(input: {
    idempotencyKey: string;
    amountCents: number;
    token: string;
    description: string;
  }): Promise<ChargeResult> {
    const { idempotencyKey, amountCents, token, description } = input;
    try {
      return await paymentGateway.charge({ idempotencyKey, amountCents, paymentMethodToken: token, description });
    } catch (err) {
      if (err instanceof GatewayUnavailableError)
        throw ApplicationFailure.retryable(err.message, FailureType.GatewayUnavailable);
      throw err;
    }
  }

  return {
    async chargeCard(input) {
      return charge({ ...input, amountCents: pointsToCents(input.points) });
    },

    /** One month of a number (F9/F13); the gateway dedupes on the same key too. */
    async chargeSubscription(input) {
      const earlier = await paymentByKey(db, input.idempotencyKey);
      if (earlier) return subscriptionCharge(earlier);
      const method = await paymentMethodOf(db, input.orgId);
      if (!method) return { outcome: 'payment_method_required' };
      const result = await charge({ ...input, token: method.token });
      return subscriptionCharge(await recordPayment(db, { ...input, purpose: 'subscription', result }));
    },
  } satisfies PaymentActivities;
}
