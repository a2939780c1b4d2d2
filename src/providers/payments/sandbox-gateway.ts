import { createHash } from 'node:crypto';
import { GatewayUnavailableError, type ChargeRequest, type ChargeResult, type PaymentGateway } from './payment-gateway';

/**
 * The default gateway locally and in tests. Its test tokens:
 * - `tok_sandbox_visa`               charges succeed
 * - `tok_sandbox_declined`           declined: card_declined
 * - `tok_sandbox_insufficient_funds` declined: insufficient_funds
 * - `tok_sandbox_network_failure`    the gateway is unreachable (retryable)
 */
export const SANDBOX_TOKENS = {
  success: 'tok_sandbox_visa',
  declined: 'tok_sandbox_declined',
  insufficientFunds: 'tok_sandbox_insufficient_funds',
  networkFailure: 'tok_sandbox_network_failure',
} as const;

export class SandboxGateway implements PaymentGateway {
  readonly name = 'sandbox';
  /** Like a real gateway, a repeated idempotency key returns the first result. */
  private readonly seen = new Map<string, ChargeResult>();
  readonly charges: ChargeRequest[] = [];

  charge(request: ChargeRequest): Promise<ChargeResult> {
    const previous = this.seen.get(request.idempotencyKey);
    if (previous) return Promise.resolve(previous);
    if (request.paymentMethodToken === SANDBOX_TOKENS.networkFailure) {
      return Promise.reject(new GatewayUnavailableError('sandbox gateway: network failure (test token)'));
    }
    const result = this.decide(request);
    this.seen.set(request.idempotencyKey, result);
    if (result.status === 'succeeded') this.charges.push(request);
    return Promise.resolve(result);
  }

  private decide(request: ChargeRequest): ChargeResult {
    const reference = `ch_sandbox_${createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 24)}`;
    switch (request.paymentMethodToken) {
      case SANDBOX_TOKENS.declined:
        return { status: 'declined', code: 'card_declined', reason: 'Your card was declined.' };
      case SANDBOX_TOKENS.insufficientFunds:
        return { status: 'declined', code: 'insufficient_funds', reason: 'Your card has insufficient funds.' };
      default:
        return { status: 'succeeded', reference };
    }
  }
}
