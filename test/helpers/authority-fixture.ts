import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createDesk, eventually, openChat, twilioSubaccount, type Desk, type Org } from './fixtures';
import { approvedOrg, integrationKey, uniqueBusinessManagerId } from './onboarding-fixtures';
import type { FirstOrg, Principal } from './route-authority';
import { BOOTSTRAP_TOKEN, PROVIDER_SECRET, type ApiResponse, type Harness } from './use-harness';

type TwilioAccount = Desk['twilioAccount'];

/** A bearer token, or a Twilio account that signs what it sends. */
export interface Credential {
  bearer?: string;
  twilio?: TwilioAccount;
}

export interface AuthorityFixture {
  first: FirstOrg;
  /** The other organisation: its Business Manager link approved, its subaccount made. */
  other: Org & { twilioAccount: TwilioAccount };
  credentials: Record<Principal, Credential>;
  /** What a caller answered about its own data must not contain, by who asked. */
  unseen: Partial<Record<Principal, string[]>>;
}

const made = (res: ApiResponse, status: number) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
};

async function firstOrg(h: Harness): Promise<{ first: FirstOrg; keys: Record<string, string> }> {
  const desk = await createDesk(h);
  const admin = (method: string, path: string, body?: unknown) => h.request(method, path, { key: desk.adminKey, body });
  const returns = made(await admin('POST', '/v1/departments', { name: 'Returns', brandIds: [desk.brandId] }), 201);
  const colleague = made(
    await admin('POST', '/v1/operators', {
      name: 'Omar',
      email: `omar.${desk.orgId}@acme.test`,
      departmentIds: [returns.department.id],
    }),
    201,
  );
  const chat = await openChat(h, desk);
  await h.emulator.playInbound({
    from: chat.customerAddress,
    to: desk.number.e164,
    body: 'my receipt',
    media: [{ contentType: 'image/jpeg' }],
  });
  const withAttachment = await eventually(async () => {
    const detail = await admin('GET', `/v1/conversations/${chat.id}`);
    return detail.body.messages.find((m: any) => m.attachments.length > 0);
  }, 'the message with an attachment');
  const reply = made(
    await h.request('POST', `/v1/conversations/${chat.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'It ships today' },
    }),
    201,
  );
  const apiKey = made(await admin('POST', '/v1/api-keys', { role: 'operator', operatorId: desk.operatorId }), 201);
  const crm = made(await admin('POST', '/v1/business-accounts/integration-keys', { product: 'crm' }), 201);
  const businessManagerId = uniqueBusinessManagerId();
  const account = { businessManagerId, verified: true };
  made(await h.request('POST', '/v1/business-accounts', { key: crm.integrationKey.key, body: account }), 201);
  const link = made(await admin('POST', '/v1/whatsapp/channel/link-existing', { businessManagerId }), 202);
  const session = made(
    await admin('POST', '/v1/visitor-sessions', {
      channel: 'web',
      brandId: desk.brandId,
      departmentId: desk.departmentId,
    }),
    201,
  );
  // Deliveries to a port nobody serves only fail and wait: nothing here needs them to succeed.
  const endpoint = { url: 'http://127.0.0.1:9/hooks', eventTypes: ['wallet.low'] };
  const webhook = made(await admin('POST', '/v1/webhook-endpoints', endpoint), 201);
  const [event] = await h.database.sql`select id from events where org_id = ${desk.orgId} limit 1`;
  const first: FirstOrg = {
    ...desk,
    numberId: desk.number.id,
    conversationId: chat.id,
    customerAddress: chat.customerAddress,
    messageId: withAttachment.id,
    replySid: reply.message.providerSid,
    apiKeyId: apiKey.apiKey.id,
    integrationKeyId: crm.integrationKey.id,
    businessManagerId,
    requestId: link.request.requestId,
    visitorSessionId: session.session.id,
    webhookEndpointId: webhook.endpoint.id,
    eventId: `evt_${event!.id}`,
  };
  const keys = {
    visitor: session.visitorToken,
    crm: crm.integrationKey.key,
    otherProduct: await integrationKey(h, desk, 'desk'),
    colleague: colleague.apiKey.key,
  };
  return { first, keys };
}

/** Another organisation, its Business Manager link approved, with its own subaccount, visitor and product. */
async function otherOrg(h: Harness) {
  const org = await approvedOrg(h, 'Umbrella');
  const session = made(
    await h.request('POST', '/v1/visitor-sessions', {
      key: org.adminKey,
      body: { channel: 'app', brandId: org.brandId, departmentId: org.departmentId },
    }),
    201,
  );
  const twilioAccount = await twilioSubaccount(h, org.adminKey);
  return {
    org: { ...org, twilioAccount },
    keys: { visitor: session.visitorToken, crm: await integrationKey(h, org, 'crm') },
  };
}

export async function authorityFixture(h: Harness): Promise<AuthorityFixture> {
  const { first, keys } = await firstOrg(h);
  const other = await otherOrg(h);
  const credentials: Record<Principal, Credential> = {
    'no key': {},
    'an unknown key': { bearer: `sb_adm_${randomBytes(24).toString('base64url')}` },
    'the bootstrap token': { bearer: BOOTSTRAP_TOKEN },
    'the provider secret': { bearer: PROVIDER_SECRET },
    'the visitor token of the session': { bearer: keys.visitor },
    "another organisation's visitor token": { bearer: other.keys.visitor },
    'the integration key of the product that linked the account': { bearer: keys.crm },
    "another product's integration key": { bearer: keys.otherProduct },
    "another organisation's integration key": { bearer: other.keys.crm },
    "the organisation's admin": { bearer: first.adminKey },
    "another organisation's admin": { bearer: other.org.adminKey },
    'the operator': { bearer: first.operatorKey },
    'an operator of another department': { bearer: keys.colleague },
    "another organisation's Twilio signature": { twilio: other.org.twilioAccount },
  };
  const conversation = [first.conversationId, first.customerAddress, first.messageId, first.replySid];
  const everything = [
    ...conversation,
    first.orgId,
    first.brandId,
    first.departmentId,
    first.operatorId,
    first.numberId,
    first.number.e164,
    first.twilioAccount.sid,
    first.apiKeyId,
    first.integrationKeyId,
    first.businessManagerId,
    first.requestId,
    first.visitorSessionId,
  ];
  const unseen = {
    "another organisation's admin": everything,
    "another organisation's integration key": everything,
    'an operator of another department': conversation,
  };
  return { first, other: other.org, credentials, unseen };
}
