import { eq } from 'drizzle-orm';
import type { Tx } from '../database';
import { paymentMethods } from '../schema';

export async function paymentMethodOf(tx: Tx, orgId: string) {
  const [method] = await tx.select().from(paymentMethods).where(eq(paymentMethods.orgId, orgId));
  return method;
}

export async function setPaymentMethod(tx: Tx, orgId: string, method: { gateway: string; token: string; label: string | null }) {
  const [row] = await tx
    .insert(paymentMethods)
    .values({ orgId, ...method })
    .onConflictDoUpdate({ target: paymentMethods.orgId, set: { ...method, updatedAt: new Date() } })
    .returning();
  return row!;
}
