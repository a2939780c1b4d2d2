import type { TwilioEmulator } from '../dev/emulator/twilio-emulator';
import type { DevSecrets } from '../dev/dev-secrets';
import { CONNECTION_OVERRIDES } from '../src/providers/twilio/twilio-webhook-urls';
import { call, must } from './api-client';

/** One support desk: an organisation with an operator, points, and a WhatsApp number it bought. */
export interface Desk {
  orgId: string;
  adminKey: string;
  operatorKey: string;
  e164: string;
  brandId: string;
  departmentId: string;
  /** Where the emulator (as Twilio) delivers this number's customers' messages: what the number was given. */
  inboundUrl: string;
}

type Key = { apiKey: { key: string } };
type NumberRow = { id: string; phoneNumber: string; status: string; statusReason: string | null };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Numbers for sale that this run has not tried yet (each purchase picks a fresh one). */
export async function freshNumber(apiUrl: string, adminKey: string, taken: Set<string>): Promise<string | undefined> {
  const listed = await call<{ numbers?: { phoneNumber: string }[] }>(
    apiUrl,
    'GET',
    '/v1/whatsapp/numbers/available?country=US&type=local',
    { key: adminKey },
  );
  const pick = listed.body.numbers?.find((n) => !taken.has(n.phoneNumber))?.phoneNumber;
  if (pick) taken.add(pick);
  return pick;
}

/** The organisation's numbers page until the number has left `pending`; undefined at the deadline. */
export async function numberSettled(apiUrl: string, adminKey: string, e164: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const page = await call<{ numbers?: NumberRow[] }>(apiUrl, 'GET', '/v1/whatsapp/numbers', { key: adminKey });
    const row = page.body.numbers?.find((n) => n.phoneNumber === e164);
    if (row && row.status !== 'pending') return row;
    await sleep(500);
  }
  return undefined;
}

/**
 * A desk made the way a customer of Switchboard makes one, through the API only (README, "From an empty
 * organisation to a live number"): consent, an access request the provider approves, a card, points,
 * and a number bought from Twilio's list — so the number carries the inbound URL Switchboard gave Twilio
 * (with its connection overrides), which is what the emulator then delivers to.
 */
export async function createDesk(
  apiUrl: string,
  emulator: TwilioEmulator,
  secrets: DevSecrets,
  n: number,
  taken: Set<string>,
): Promise<Desk> {
  const org = await must<Key & { org: { id: string } }>(201, apiUrl, 'POST', '/v1/orgs', {
    key: secrets.bootstrapToken,
    body: { name: `Fault Desk ${n}` },
  });
  const key = org.apiKey.key;
  const admin = <T>(status: number, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    must<T>(status, apiUrl, method, path, { key, body, headers });
  const brand = await admin<{ brand: { id: string } }>(201, 'POST', '/v1/brands', { name: `Fault Brand ${n}` });
  const brandId = brand.brand.id;
  const dept = await admin<{ department: { id: string } }>(201, 'POST', '/v1/departments', {
    name: 'Support',
    brandIds: [brandId],
  });
  const departmentId = dept.department.id;
  const op = await admin<Key & { operator: { id: string } }>(201, 'POST', '/v1/operators', {
    name: `Operator ${n}`,
    email: `operator${n}@faults.test`,
    departmentIds: [departmentId],
    maxConcurrentChats: 100,
  });
  await must(200, apiUrl, 'PUT', `/v1/operators/${op.operator.id}/presence`, {
    key: op.apiKey.key,
    body: { status: 'available' },
  });
  await admin(201, 'POST', '/v1/whatsapp/channel', { acceptIntermediaryTerms: true, termsVersion: '2026-11' });
  const request = await admin<{ request: { requestId: string } }>(202, 'POST', '/v1/whatsapp/channel/access-request', {
    businessManagerId: `${Date.now()}${n}`.slice(-15),
    businessManagerVerified: true,
    businessName: `Fault Desk ${n} Ltd`,
    website: 'https://faults.example',
    contactEmail: 'compliance@faults.example',
    contactPhone: '+14155550999',
  });
  await must(200, apiUrl, 'POST', `/v1/provider/access-requests/${request.request.requestId}/decision`, {
    key: secrets.providerSecret,
    body: { decision: 'approved', wabaId: '102290129340398' },
  });
  await admin(200, 'PUT', '/v1/billing/payment-method', { token: 'tok_sandbox_visa' });
  await admin(201, 'POST', '/v1/wallet/purchases', { points: 20 }, { 'idempotency-key': `fault-desk-${n}-points` });

  const e164 = await freshNumber(apiUrl, key, taken);
  if (!e164) throw new Error('Twilio (the emulator) lists no local US numbers for sale');
  await admin(202, 'POST', '/v1/whatsapp/numbers', {
    phoneNumber: e164,
    country: 'US',
    type: 'local',
    brandId,
    departmentId,
  });
  const live = await numberSettled(apiUrl, key, e164, 60_000);
  if (live?.status !== 'active') throw new Error(`the desk's number ${e164} did not go live: ${JSON.stringify(live)}`);
  // What Twilio will call for this number's messages: the sender's callback Switchboard registered.
  const sender = emulator.senders().find((s) => s.senderId === `whatsapp:${e164}`);
  const inboundUrl = sender?.callbackUrl ?? '';
  if (!inboundUrl.endsWith(`#${CONNECTION_OVERRIDES}`)) {
    throw new Error(`${e164}'s inbound URL lacks the connection overrides Twilio's retries depend on: ${inboundUrl}`);
  }
  return { orgId: org.org.id, adminKey: key, operatorKey: op.apiKey.key, e164, brandId, departmentId, inboundUrl };
}
