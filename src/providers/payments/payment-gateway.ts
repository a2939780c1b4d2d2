import type { ChargeResult } from '../../contracts/payment-contract';

export interface ChargeRequest {
  /** Derived from our business key (workflow ID, request key): the same charge asked twice is made once. */
  idempotencyKey: string;
  amountCents: number;
  paymentMethodToken: string;
  description: string;
}

export type { ChargeResult };

/** The gateway could not be reached or answered with a server error: the charge may be retried with the same key. */
export class GatewayUnavailableError extends Error {
  override readonly name = 'GatewayUnavailableError';
}

/** Charges the organisation's card on file. Activities are its only callers. */
export interface PaymentGateway {
  readonly name: string;
  charge(request: ChargeRequest): Promise<ChargeResult>;
}
