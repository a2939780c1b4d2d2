import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { PageCursor } from '../../domain/page-cursor';
import type { Db, Tx } from '../database';
import { brands, numberBrandSwitches, phoneNumbers } from '../schema';
import { emit } from './event-queries';
import { keyset, pageOf, type PageRequest } from './keyset-pages';

export type PhoneNumber = typeof phoneNumbers.$inferSelect;

/** `number.status_changed`: a number went pending, live, past due, cancelled, failed or released. */
export async function tellNumberStatus(tx: Tx, n: PhoneNumber): Promise<void> {
  const { id: numberId, e164: phoneNumber, status, subscriptionState, statusReason: reason } = n;
  await emit(tx, n.orgId, 'number.status_changed', { numberId, phoneNumber, status, subscriptionState, reason });
}

export async function activeNumbers(db: Db) {
  return db.select().from(phoneNumbers).where(eq(phoneNumbers.status, 'active'));
}

/** Numbers with their brand and its switch (F15; no switch row means on), oldest first, in one query however many. */
export function numbersWithBrand(tx: Tx, where: SQL, cursor?: PageCursor) {
  const { past, orderBy, cursorFields } = keyset(phoneNumbers.createdAt, phoneNumbers.id, 'oldest_first', cursor);
  return tx
    .select({ number: phoneNumbers, brandName: brands.name, enabled: numberBrandSwitches.enabled, ...cursorFields })
    .from(phoneNumbers)
    .leftJoin(brands, eq(brands.id, phoneNumbers.brandId))
    .leftJoin(
      numberBrandSwitches,
      and(eq(numberBrandSwitches.numberId, phoneNumbers.id), eq(numberBrandSwitches.brandId, phoneNumbers.brandId)),
    )
    .where(and(where, past))
    .orderBy(...orderBy)
    .$dynamic();
}

export async function numbersPage(tx: Tx, orgId: string, page: PageRequest) {
  return pageOf(await numbersWithBrand(tx, ofOrg(orgId), page.cursor).limit(page.limit + 1), page.limit);
}

export const ofOrg = (orgId: string) => eq(phoneNumbers.orgId, orgId);
export const byId = (numberId: string) => eq(phoneNumbers.id, numberId);

export async function numberOfOrg(tx: Tx, orgId: string, numberId: string): Promise<PhoneNumber | undefined> {
  const [number] = await tx
    .select()
    .from(phoneNumbers)
    .where(and(eq(phoneNumbers.id, numberId), eq(phoneNumbers.orgId, orgId)));
  return number;
}

/** A number being bought or live (the unique index keeps one per E.164), optionally only the organisation's. */
export async function liveNumber(tx: Tx, e164: string, orgId?: string): Promise<PhoneNumber | undefined> {
  const [number] = await tx
    .select()
    .from(phoneNumbers)
    .where(
      and(
        eq(phoneNumbers.e164, e164),
        inArray(phoneNumbers.status, ['pending', 'active']),
        orgId ? eq(phoneNumbers.orgId, orgId) : undefined,
      ),
    );
  return number;
}

/** A sender already live on the Twilio account, adopted as is (no purchase, no subscription). */
export async function adoptExistingNumber(
  tx: Tx,
  number: { orgId: string; e164: string; brandId: string; departmentId: string; senderSid?: string },
): Promise<PhoneNumber> {
  const [row] = await tx
    .insert(phoneNumbers)
    .values({ ...number, source: 'existing', status: 'active' })
    .returning();
  await tellNumberStatus(tx, row!);
  return row!;
}

/** Changes an admin may make to their own number: limits (F12) and the brand and department (F10). */
export async function updateNumber(
  tx: Tx,
  orgId: string,
  numberId: string,
  set: Partial<Pick<PhoneNumber, 'chatCloseLimitSeconds' | 'idleCloseSeconds' | 'brandId' | 'departmentId'>>,
): Promise<PhoneNumber | undefined> {
  const [number] = await tx
    .update(phoneNumbers)
    .set(set)
    .where(and(eq(phoneNumbers.id, numberId), eq(phoneNumbers.orgId, orgId)))
    .returning();
  return number;
}

export async function setBrandSwitch(tx: Tx, numberId: string, brandId: string, enabled: boolean): Promise<void> {
  await tx
    .insert(numberBrandSwitches)
    .values({ numberId, brandId, enabled })
    .onConflictDoUpdate({
      target: [numberBrandSwitches.numberId, numberBrandSwitches.brandId],
      set: { enabled, updatedAt: new Date() },
    });
}
