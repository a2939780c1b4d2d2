import { expect } from 'vitest';
import { createOrg, type Org } from './fixtures';
import { PROVIDER_SECRET, type Harness } from './use-harness';

export { createOrg, type Org } from './fixtures';

let counter = 0;
/** The WhatsApp Business Account an approval carries (Meta's IDs are digits). */
export const WABA_ID = '102290129340398';

export const uniqueBusinessManagerId = () => `${Date.now()}${String(counter++).padStart(3, '0')}`.slice(-15);

export const consent = (h: Harness, org: Org) =>
  h.request('POST', '/v1/whatsapp/channel', {
    key: org.adminKey,
    body: { acceptIntermediaryTerms: true, termsVersion: '2026-11' },
  });

/** An integration key the admin issues to another product of the organisation (F6). */
export async function integrationKey(h: Harness, org: Org, product: string): Promise<string> {
  const res = await h.request('POST', '/v1/business-accounts/integration-keys', {
    key: org.adminKey,
    body: { product },
  });
  expect(res.status).toBe(201);
  return res.body.integrationKey.key as string;
}

export const accessRequestForm = (overrides: Record<string, unknown> = {}) => ({
  businessManagerId: uniqueBusinessManagerId(),
  businessManagerVerified: true,
  businessName: 'Acme Trading Ltd',
  website: 'https://acme.test',
  contactEmail: 'compliance@acme.test',
  contactPhone: '+14155550999',
  ...overrides,
});

export const decide = (
  h: Harness,
  requestId: string,
  body: Record<string, unknown>,
  secret: string | null = PROVIDER_SECRET,
) => h.request('POST', `/v1/provider/access-requests/${requestId}/decision`, { key: secret ?? undefined, body });

/** Consent, an access request approved by the provider, and a card on file: ready to buy numbers. */
export async function approvedOrg(h: Harness, name?: string, card = 'tok_sandbox_visa'): Promise<Org> {
  const org = await createOrg(h, { name });
  expect((await consent(h, org)).status).toBe(201);
  const submitted = await h.request('POST', '/v1/whatsapp/channel/access-request', {
    key: org.adminKey,
    body: accessRequestForm(),
  });
  expect(submitted.status).toBe(202);
  const approval = { decision: 'approved', wabaId: WABA_ID };
  expect((await decide(h, submitted.body.request.requestId, approval)).status).toBe(200);
  expect(
    (await h.request('PUT', '/v1/billing/payment-method', { key: org.adminKey, body: { token: card } })).status,
  ).toBe(200);
  return org;
}

/** Polls the numbers page until the number reaches one of the statuses. */
export async function numberReaching(h: Harness, org: Org, numberId: string, statuses: string[], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    const list = await h.request('GET', '/v1/whatsapp/numbers', { key: org.adminKey });
    last = list.body.numbers.find((n: any) => n.id === numberId);
    if (last && statuses.includes(last.status)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`number ${numberId} did not reach ${statuses.join('/')}; last seen ${JSON.stringify(last)}`);
}
