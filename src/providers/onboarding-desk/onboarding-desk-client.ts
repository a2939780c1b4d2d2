import type { AccessRequestForm } from '../../contracts/onboarding-contract';

/** The provider's onboarding desk, which reviews Business Manager access requests (F7). */
export interface OnboardingDeskConfig {
  /** The AccessRequests collection URL. */
  url: string;
  /** The desk's own bearer token (ONBOARDING_DESK_TOKEN): no Twilio credential goes to a configured URL. */
  token: string;
}

/** The desk answered with a 4xx other than 429: the request will not be accepted on retry. */
export class DeskRefusedError extends Error {
  override readonly name = 'DeskRefusedError';
}

/** The desk could not be reached or failed: retry later. */
export class DeskUnavailableError extends Error {
  override readonly name = 'DeskUnavailableError';
}

async function call(desk: OnboardingDeskConfig, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${desk.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${desk.token}`,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  }).catch((err: unknown) => {
    throw new DeskUnavailableError(`The onboarding desk could not be reached: ${(err as Error).message}`);
  });
  const text = await res.text();
  if (res.status >= 400 && res.status < 500 && res.status !== 429) {
    throw new DeskRefusedError(`The onboarding desk refused the request (${res.status}): ${text.slice(0, 300)}`);
  }
  if (!res.ok) throw new DeskUnavailableError(`The onboarding desk answered ${res.status}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Submits an access request; our request id is the desk's idempotency key, so a retry is the same request.
 * `receivedAt` is when the desk recorded it (its own `date_created`), which a retry does not move.
 */
export async function submitAccessRequest(
  desk: OnboardingDeskConfig,
  request: { requestId: string; businessManagerId: string; form: AccessRequestForm },
): Promise<{ deskReference: string; receivedAt: string }> {
  const { requestId, businessManagerId, form } = request;
  const answer = await call(desk, '', { reference: requestId, businessManagerId, ...form });
  const created = Date.parse(String(answer.date_created));
  return {
    deskReference: String(answer.sid),
    receivedAt: new Date(Number.isNaN(created) ? Date.now() : created).toISOString(),
  };
}

export async function remindAccessRequest(desk: OnboardingDeskConfig, deskReference: string): Promise<void> {
  await call(desk, `/${encodeURIComponent(deskReference)}/Reminders`, {});
}
