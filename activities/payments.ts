import { ApplicationFailure } from '@temporalio/activity';
import { GatewayUnavailableError, type ChargeResult, type PaymentGateway } from '../src/billing';
import { pointsToCents } from '../src/domain/money';

export function createPaymentActivities({ paymentGateway }: { paymentGateway: PaymentGateway }) {
  return {
    /** The only call to the card gateway; the key makes Temporal's retries safe. */
    async chargeCard(input: { idempotencyKey: string; points: number; token: string; description: string }): Promise<ChargeResult> {
      try {
        return await paymentGateway.charge({
          idempotencyKey: input.idempotencyKey,
          amountCents: pointsToCents(input.points),
          paymentMethodToken: input.token,
          description: input.description,
        });
      } catch (err) {
        if (err instanceof GatewayUnavailableError) throw ApplicationFailure.retryable(err.message, 'GatewayUnavailable');
        throw err;
      }
    },
  };
}
