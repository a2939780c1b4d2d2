import { eq } from 'drizzle-orm';
import type { ChargeResult } from '../../contracts/payment-contract';
import type { Tx } from '../database';
import { paymentMethods, payments } from '../schema';

export type Payment = typeof payments.$inferSelect;

export async function paymentMethodOf(tx: Tx, orgId: string) {
  const [method] = await tx.select().from(paymentMethods).where(eq(paymentMethods.orgId, orgId));
  return method;
}

export async function setPaymentMethod(
  tx: Tx,
  orgId: string,
  method: { gateway: string; token: string; label: string | null },
) {
  const [row] = await tx
    .insert(paymentMethods)
    .values({ orgId, ...method })
    .onConflictDoUpdate({ target: paymentMethods.orgId, set: { ...method, updatedAt: new Date() } })
    .returning();
  return row!;
}

export async function paymentByKey(tx: Tx, idempotencyKey: string): Promise<Payment | undefined> {
  const [payment] = await tx.select().from(payments).where(eq(payments.idempotencyKey, idempotencyKey));
  return payment;
}

/** Records a charge attempt once per key and returns the recorded one: a retry never records a second. */
export async function recordPayment(
  tx: Tx,
  charge: {
    orgId: string;
    idempotencyKey: string;
    purpose: Payment['purpose'];
    amountCents: number;
    result: ChargeResult;
  },
): Promise<Payment> {
  const { result } = charge;
  await tx
    .insert(payments)
    .values({
      orgId: charge.orgId,
      idempotencyKey: charge.idempotencyKey,
      purpose: charge.purpose,
      amountCents: charge.amountCents,
      status: result.status,
      gatewayReference: result.status === 'succeeded' ? result.reference : null,
      declineCode: result.status === 'declined' ? result.code : null,
      declineReason: result.status === 'declined' ? result.reason : null,
    })
    .onConflictDoNothing();
  return (await paymentByKey(tx, charge.idempotencyKey))!;
}
