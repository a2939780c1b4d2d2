import type { Tx } from '../../db/database';
import { latestOnboarding, onboardingHistory, type OnboardingRequest } from '../../db/queries/onboarding-queries';

/** F11: the onboarding part of the account info page. */
export async function onboardingView(db: Tx, orgId: string) {
  const request = await latestOnboarding(db, orgId);
  if (!request) return { status: 'not_started' as const, canBuyNumbers: false };
  return {
    ...requestView(request),
    canBuyNumbers: request.status === 'approved',
    history: await onboardingHistory(db, request.id),
  };
}

export const requestView = (r: OnboardingRequest) => ({
  requestId: r.id,
  status: r.status,
  method: r.method,
  businessManagerId: r.businessManagerId,
  wabaId: r.wabaId,
  reason: r.reason,
  expiresAt: r.expiresAt,
  remindersSent: r.remindersSent,
  createdAt: r.createdAt,
  decidedAt: r.decidedAt,
});
