import Stripe from 'stripe';
import { GatewayUnavailableError, type ChargeRequest, type ChargeResult, type PaymentGateway } from './payment-gateway';

export interface StripeGatewayOptions {
  secretKey: string;
  /** For stripe-mock or a proxy: scheme, host and port replace api.stripe.com. */
  apiBaseUrl?: string;
}

/** Off-session PaymentIntents on the card on file, each with the idempotency key from our business key. */
export class StripeGateway implements PaymentGateway {
  readonly name = 'stripe';
  private readonly stripe: Stripe;

  constructor(opts: StripeGatewayOptions) {
    const base = opts.apiBaseUrl ? new URL(opts.apiBaseUrl) : undefined;
    this.stripe = new Stripe(opts.secretKey, {
      // Retrying is Temporal's job; it keeps the same idempotency key.
      maxNetworkRetries: 0,
      timeout: 20_000,
      ...(base
        ? {
            host: base.hostname,
            port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
            protocol: base.protocol.replace(':', '') as 'http' | 'https',
          }
        : {}),
    });
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountCents,
          currency: 'usd',
          payment_method: request.paymentMethodToken,
          confirm: true,
          off_session: true,
          description: request.description,
        },
        { idempotencyKey: request.idempotencyKey },
      );
      if (intent.status === 'succeeded' || intent.status === 'processing')
        return { status: 'succeeded', reference: intent.id };
      return {
        status: 'declined',
        code: intent.status,
        reason: `The payment was not completed (${intent.status.replace(/_/g, ' ')})`,
      };
    } catch (err) {
      if (err instanceof Stripe.errors.StripeCardError) {
        return { status: 'declined', code: err.decline_code ?? err.code ?? 'card_declined', reason: err.message };
      }
      if (
        err instanceof Stripe.errors.StripeConnectionError ||
        err instanceof Stripe.errors.StripeAPIError ||
        err instanceof Stripe.errors.StripeRateLimitError
      ) {
        throw new GatewayUnavailableError(`Stripe unavailable: ${err.message}`);
      }
      throw err;
    }
  }
}
