import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../database';
import { businessAccounts, integrationKeys, onboardingEvents, onboardingRequests } from '../schema';
import { orgRowsPage, type PageRequest } from './keyset-pages';

export type OnboardingRequest = typeof onboardingRequests.$inferSelect;

/** The organisation's latest request: its status is the channel's onboarding status. */
export async function latestOnboarding(tx: Tx, orgId: string): Promise<OnboardingRequest | undefined> {
  const [row] = await tx
    .select()
    .from(onboardingRequests)
    .where(eq(onboardingRequests.orgId, orgId))
    .orderBy(desc(onboardingRequests.createdAt))
    .limit(1);
  return row;
}

/** Buying numbers needs a Business Manager link that was approved (F8), by either method. */
export async function approvedOnboarding(tx: Tx, orgId: string): Promise<OnboardingRequest | undefined> {
  const [row] = await tx
    .select()
    .from(onboardingRequests)
    .where(and(eq(onboardingRequests.orgId, orgId), eq(onboardingRequests.status, 'approved')))
    .limit(1);
  return row;
}

export async function onboardingHistory(tx: Tx, requestId: string) {
  return tx
    .select({ event: onboardingEvents.event, note: onboardingEvents.note, at: onboardingEvents.at })
    .from(onboardingEvents)
    .where(eq(onboardingEvents.requestId, requestId))
    .orderBy(asc(onboardingEvents.at));
}

export async function onboardingRequestById(tx: Tx, id: string): Promise<OnboardingRequest | undefined> {
  const [row] = await tx.select().from(onboardingRequests).where(eq(onboardingRequests.id, id));
  return row;
}

/** The organisation's products that linked this Business Manager account (link-existing, F6). */
export async function businessAccountsOf(tx: Tx, orgId: string, businessManagerId: string) {
  return tx
    .select()
    .from(businessAccounts)
    .where(and(eq(businessAccounts.orgId, orgId), eq(businessAccounts.businessManagerId, businessManagerId)))
    .orderBy(asc(businessAccounts.createdAt));
}

export const businessAccountsPage = (tx: Tx, orgId: string, page: PageRequest) =>
  orgRowsPage(tx, businessAccounts, orgId, page);

export type BusinessAccount = typeof businessAccounts.$inferSelect;

/** Another product of the organisation recording a Business Manager account it linked (F6). */
export async function addBusinessAccount(
  tx: Tx,
  account: { orgId: string; businessManagerId: string; product: string; verified: boolean },
): Promise<BusinessAccount> {
  const [row] = await tx.insert(businessAccounts).values(account).returning();
  return row!;
}

export type IntegrationKey = typeof integrationKeys.$inferSelect;

export async function addIntegrationKey(
  tx: Tx,
  key: Pick<IntegrationKey, 'orgId' | 'product' | 'keyHash' | 'keyPrefix'>,
): Promise<IntegrationKey> {
  const [row] = await tx.insert(integrationKeys).values(key).returning();
  return row!;
}

export async function activeIntegrationKey(tx: Tx, keyHash: string): Promise<IntegrationKey | undefined> {
  const [row] = await tx
    .select()
    .from(integrationKeys)
    .where(and(eq(integrationKeys.keyHash, keyHash), isNull(integrationKeys.revokedAt)));
  return row;
}

export const integrationKeysPage = (tx: Tx, orgId: string, page: PageRequest) =>
  orgRowsPage(tx, integrationKeys, orgId, page);

/** Revoked at once and for good; false when the organisation has no such key. */
export async function revokeIntegrationKey(tx: Tx, orgId: string, id: string): Promise<boolean> {
  const revoked = await tx
    .update(integrationKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(integrationKeys.id, id), eq(integrationKeys.orgId, orgId), isNull(integrationKeys.revokedAt)))
    .returning({ id: integrationKeys.id });
  return revoked.length > 0;
}

export async function businessAccountById(tx: Tx, id: string): Promise<BusinessAccount | undefined> {
  const [row] = await tx.select().from(businessAccounts).where(eq(businessAccounts.id, id));
  return row;
}
