import { and, asc, desc, eq } from 'drizzle-orm';
import type { Tx } from '../database';
import { businessAccounts, onboardingEvents, onboardingRequests } from '../schema';

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

export async function businessAccountsOf(tx: Tx, orgId: string, businessManagerId?: string) {
  return tx
    .select()
    .from(businessAccounts)
    .where(
      and(
        eq(businessAccounts.orgId, orgId),
        businessManagerId ? eq(businessAccounts.businessManagerId, businessManagerId) : undefined,
      ),
    )
    .orderBy(asc(businessAccounts.createdAt));
}

export type BusinessAccount = typeof businessAccounts.$inferSelect;

/** Another product of the organisation recording a Business Manager account it linked (F6). */
export async function addBusinessAccount(
  tx: Tx,
  account: { orgId: string; businessManagerId: string; product: string; verified: boolean },
): Promise<BusinessAccount> {
  const [row] = await tx.insert(businessAccounts).values(account).returning();
  return row!;
}
