import { ApplicationFailure } from '@temporalio/activity';
import type { AccessRequestForm } from '../src/db/schema';

/** The provider's onboarding desk, which reviews Business Manager access requests (F7). */
export interface OnboardingDeskConfig {
  /** The AccessRequests collection URL. */
  url: string;
  accountSid: string;
  authToken: string;
}

async function call(desk: OnboardingDeskConfig, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${desk.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${desk.accountSid}:${desk.authToken}`).toString('base64')}`,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  // A 4xx will not change on retry: the workflow records it instead of retrying for days.
  if (res.status >= 400 && res.status < 500 && res.status !== 429) {
    throw ApplicationFailure.nonRetryable(`The onboarding desk refused the request (${res.status}): ${text.slice(0, 300)}`, 'OnboardingDeskRefused');
  }
  if (!res.ok) throw ApplicationFailure.retryable(`The onboarding desk answered ${res.status}`, 'OnboardingDeskUnavailable');
  return JSON.parse(text) as Record<string, unknown>;
}

export function createOnboardingDeskActivities({ onboardingDesk }: { onboardingDesk?: OnboardingDeskConfig }) {
  const desk = () => {
    if (!onboardingDesk) throw ApplicationFailure.nonRetryable('ONBOARDING_DESK_URL is not configured on the worker', 'OnboardingDeskNotConfigured');
    return onboardingDesk;
  };
  return {
    /** Our request id is the desk's idempotency key: a retried submission is the same request. */
    async submitAccessRequest(input: { requestId: string; businessManagerId: string; form: AccessRequestForm }): Promise<{ deskReference: string }> {
      const answer = await call(desk(), '', { reference: input.requestId, businessManagerId: input.businessManagerId, ...input.form });
      return { deskReference: String(answer.sid) };
    },

    async remindAccessRequest({ deskReference }: { deskReference: string }): Promise<void> {
      await call(desk(), `/${encodeURIComponent(deskReference)}/Reminders`, {});
    },
  };
}
