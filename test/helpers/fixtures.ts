import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { expect } from 'vitest';
import { AUTH_TOKEN, BOOTSTRAP_TOKEN, type Harness } from './use-harness';

/** An organisation with one brand, one department and one operator, and nothing WhatsApp yet. */
export interface Org {
  orgId: string;
  adminKey: string;
  brandId: string;
  departmentId: string;
  operatorId: string;
  operatorKey: string;
}

export interface Desk extends Org {
  number: { id: string; e164: string };
  /** The organisation's own Twilio subaccount (in the emulator): its webhooks are signed with this token. */
  twilioAccount: { sid: string; authToken: string };
}

let counter = 0;
// Desks of one test file share its database: numbers count up from a random start so they never collide.
const NUMBER_BASE = 1000 + Math.floor(Math.random() * 7000);

export async function createOrg(
  h: Harness,
  opts: { name?: string; operatorPresence?: 'available' | 'offline'; maxConcurrentChats?: number } = {},
): Promise<Org> {
  counter += 1;
  const name = opts.name ?? 'Acme';
  const org = await h.request('POST', '/v1/orgs', { key: BOOTSTRAP_TOKEN, body: { name: `${name} ${counter}` } });
  expect(org.status).toBe(201);
  const adminKey: string = org.body.apiKey.key;
  const brand = await h.request('POST', '/v1/brands', { key: adminKey, body: { name: `${name} Shoes` } });
  const dept = await h.request('POST', '/v1/departments', {
    key: adminKey,
    body: { name: 'Support', brandIds: [brand.body.brand.id] },
  });
  const op = await h.request('POST', '/v1/operators', {
    key: adminKey,
    body: {
      name: 'Olivia',
      email: `olivia${counter}@acme.test`,
      departmentIds: [dept.body.department.id],
      maxConcurrentChats: opts.maxConcurrentChats ?? 50,
    },
  });
  expect(op.status).toBe(201);
  if ((opts.operatorPresence ?? 'available') === 'available') {
    const presence = await h.request('PUT', `/v1/operators/${op.body.operator.id}/presence`, {
      key: op.body.apiKey.key,
      body: { status: 'available' },
    });
    expect(presence.status).toBe(200);
  }
  return {
    orgId: org.body.org.id,
    adminKey,
    brandId: brand.body.brand.id,
    departmentId: dept.body.department.id,
    operatorId: op.body.operator.id,
    operatorKey: op.body.apiKey.key,
  };
}

/** An organisation with one brand, one department, one available operator and a live number. */
export async function createDesk(
  h: Harness,
  opts: {
    e164?: string;
    operatorPresence?: 'available' | 'offline';
    points?: number;
    maxConcurrentChats?: number;
  } = {},
): Promise<Desk> {
  const org = await createOrg(h, opts);
  const e164 = opts.e164 ?? `+1415555${String(NUMBER_BASE + counter).padStart(4, '0')}`;
  const twilioAccount = await consentToChannel(h, org.adminKey);
  // An existing integration's sender, ONLINE on the organisation's subaccount, adopted as is.
  h.emulator.addNumber(e164, { whatsappSender: true, accountSid: twilioAccount.sid });
  const number = await h.request('POST', '/v1/whatsapp/numbers/existing', {
    key: org.adminKey,
    body: { phoneNumber: e164, brandId: org.brandId, departmentId: org.departmentId },
  });
  expect(number.status).toBe(201);
  if ((opts.points ?? 5) > 0) await buyPoints(h, org.adminKey, opts.points ?? 5);
  return { ...org, number: { id: number.body.number.id, e164 }, twilioAccount };
}

/** F4/F5: the admin consents, and the organisation's Twilio subaccount is made; returns it as the emulator has it. */
export async function consentToChannel(h: Harness, adminKey: string) {
  const consent = await h.request('POST', '/v1/whatsapp/channel', {
    key: adminKey,
    body: { acceptIntermediaryTerms: true, termsVersion: '2026-11' },
  });
  expect(consent.status).toBe(201);
  return twilioSubaccount(h, adminKey);
}

/** The organisation's Twilio subaccount once it is made after consent, as the emulator has it. */
export async function twilioSubaccount(h: Harness, adminKey: string) {
  const sid = await eventually(async () => {
    const channel = await h.request('GET', '/v1/whatsapp/channel', { key: adminKey });
    return channel.body.channel.twilioAccount.status === 'active' && (channel.body.channel.twilioAccount.sid as string);
  }, 'the organisation subaccount');
  const account = h.emulator.accounts().find((a) => a.sid === sid)!;
  return { sid, authToken: account.authToken };
}

/** Polls until `check` returns a value; conversations move asynchronously through their workflow. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Posts a form the way Twilio does, signed with the auth token of the account its AccountSid names. */
export async function postSignedForm(
  h: Harness,
  path: string,
  params: Record<string, string>,
  opts: { signature?: string | null; authToken?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; json?: any; headers: Headers }> {
  const url = `${h.apiUrl}${path}`;
  const authToken =
    opts.authToken ?? h.emulator.accounts().find((a) => a.sid === params.AccountSid)?.authToken ?? AUTH_TOKEN;
  const signature =
    opts.signature === undefined ? twilio.getExpectedTwilioSignature(authToken, url, params) : opts.signature;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature ? { 'x-twilio-signature': signature } : {}),
      ...opts.headers,
    },
    body: new URLSearchParams(params).toString(),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined,
    headers: res.headers,
  };
}

export function inboundForm(desk: Desk, overrides: Record<string, string> = {}): Record<string, string> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  return {
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    AccountSid: desk.twilioAccount.sid,
    From: 'whatsapp:+15550001111',
    To: `whatsapp:${desk.number.e164}`,
    Body: 'Hello, my order has not arrived',
    ProfileName: 'Carla',
    WaId: '15550001111',
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
    ...overrides,
  };
}

/** Puts a sandbox card on file and buys points through the real wallet workflow. */
export async function buyPoints(h: Harness, adminKey: string, points: number, token = 'tok_sandbox_visa') {
  const card = await h.request('PUT', '/v1/billing/payment-method', { key: adminKey, body: { token } });
  expect(card.status).toBe(200);
  const purchase = await h.request('POST', '/v1/wallet/purchases', {
    key: adminKey,
    body: { points },
    headers: { 'idempotency-key': `fixture-${randomBytes(8).toString('hex')}` },
  });
  expect(purchase.status).toBe(201);
  return purchase.body;
}

let chats = 0;
const nextCustomer = () => `+1555${String(NUMBER_BASE + 1000 + ++chats).padStart(7, '0')}`;

/**
 * New customers write to the desk's number at once (through the emulator, as Twilio would) and their
 * chats are routed. One poll, not one per customer (which would load the API a hundredfold while it
 * routes them), waits until all are open; its limit is a hang guard sized for a loaded two-core machine.
 * The open conversations come back in the order the customers wrote.
 */
export async function openChats(h: Harness, desk: Desk, count: number) {
  const from = Array.from({ length: count }, nextCustomer);
  // Twilio gives up on a webhook after 15 s; a loaded test machine can take longer, so a message is
  // delivered again with its MessageSid until acknowledged (a replay changes nothing).
  const deliver = async (f: string) => {
    let played = await h.emulator.playInbound({ from: f, to: desk.number.e164, body: 'Hello?' });
    for (let again = 0; played.status !== 200 && again < 5; again++) {
      played = await h.emulator.playInbound({
        from: f,
        to: desk.number.e164,
        body: 'Hello?',
        messageSid: played.messageSid,
      });
    }
    return played;
  };
  const played = await Promise.all(from.map(deliver));
  expect(played.map((p) => p.status)).toEqual(from.map(() => 200));
  return eventually(
    async () => {
      const list = await h.request('GET', '/v1/conversations?status=open&limit=200', { key: desk.adminKey });
      const open = new Map<string, any>(list.body.conversations.map((c: any) => [c.customerAddress, c]));
      return from.every((f) => open.has(f)) && from.map((f) => open.get(f));
    },
    `${count} conversations to open`,
    60_000,
  );
}

/** One new customer's routed chat: the open conversation as the list shows it. */
export const openChat = async (h: Harness, desk: Desk) => (await openChats(h, desk, 1))[0];

/**
 * An operator's reply as a client told by the README sends it: with an Idempotency-Key, and again with the
 * same key after `Retry-After` when the answer is 503 (a dependency slow or down) or 429.
 */
export async function replyAsClient(h: Harness, operatorKey: string, conversationId: string, body: string) {
  const key = `reply-${randomBytes(8).toString('hex')}`;
  for (;;) {
    const res = await h.request('POST', `/v1/conversations/${conversationId}/messages`, {
      key: operatorKey,
      body: { body },
      headers: { 'idempotency-key': key },
    });
    if (res.status !== 503 && res.status !== 429) return res;
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
  }
}
