/** A card charge at the gateway, as workflows see it (the gateway is behind an activity). */
export type ChargeResult =
  { status: 'succeeded'; reference: string } | { status: 'declined'; code: string; reason: string };

/** One month of a number's subscription. */
export type SubscriptionCharge =
  | { outcome: 'charged'; paymentId: string; amountCents: number }
  | { outcome: 'declined'; reason: string }
  | { outcome: 'payment_method_required' };

export interface PaymentActivities {
  /** The only call to the card gateway for points; the key makes Temporal's retries safe. */
  chargeCard(input: {
    idempotencyKey: string;
    points: number;
    token: string;
    description: string;
  }): Promise<ChargeResult>;
  /** A key already charged returns its recorded result, so a retry after a crash charges once. */
  chargeSubscription(input: {
    orgId: string;
    idempotencyKey: string;
    amountCents: number;
    description: string;
  }): Promise<SubscriptionCharge>;
}
