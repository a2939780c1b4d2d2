import { describe, expect, it } from 'vitest';
import {
  accessRequestForm,
  consent,
  createOrg,
  decide,
  integrationKey,
  uniqueBusinessManagerId,
  WABA_ID,
  type Org,
} from './helpers/onboarding-fixtures';
import { useHarness } from './helpers/use-harness';

const h = useHarness();

const channel = async (org: Org) =>
  (await h.request('GET', '/v1/whatsapp/channel', { key: org.adminKey })).body.channel;
const linkExisting = (org: Org, businessManagerId: string) =>
  h.request('POST', '/v1/whatsapp/channel/link-existing', { key: org.adminKey, body: { businessManagerId } });

describe("a link's approval comes from the product that linked the account (F6)", () => {
  // With its admin key alone an organisation recorded an unverified account, linked it and approved the link.
  it('refuses to let the admin record or approve links, and links verified Business Manager accounts only', async () => {
    const org = await createOrg(h);
    await consent(h, org);
    const bm = uniqueBusinessManagerId();
    const asAdmin = await h.request('POST', '/v1/business-accounts', {
      key: org.adminKey,
      body: { businessManagerId: bm, product: 'crm', verified: true },
    });
    expect([asAdmin.status, asAdmin.body.error.code]).toEqual([403, 'integration_key_required']);

    const crm = await integrationKey(h, org, 'crm');
    const asDesk = await h.request('POST', '/v1/business-accounts', {
      key: crm,
      body: { businessManagerId: bm, product: 'desk', verified: true },
    });
    expect(asDesk.status).toBe(403);
    const unverified = await h.request('POST', '/v1/business-accounts', {
      key: crm,
      body: { businessManagerId: bm, verified: false },
    });
    expect(unverified.status).toBe(201);
    const linked = await linkExisting(org, bm);
    expect([linked.status, linked.body.error.code]).toEqual([422, 'business_manager_not_verified']);
    expect((await channel(org)).onboarding.status).not.toBe('pending_link_approval');
  });

  it('lets the admin list and revoke integration keys, shown once; a revoked key no longer works', async () => {
    const org = await createOrg(h);
    const issued = await h.request('POST', '/v1/business-accounts/integration-keys', {
      key: org.adminKey,
      body: { product: 'crm' },
    });
    expect(issued.status).toBe(201);
    const { id, key, prefix } = issued.body.integrationKey;
    expect(key.startsWith(prefix)).toBe(true);
    const list = await h.request('GET', '/v1/business-accounts/integration-keys', { key: org.adminKey });
    expect(list.body.integrationKeys).toEqual([expect.objectContaining({ id, product: 'crm', revokedAt: null })]);
    expect(JSON.stringify(list.body)).not.toContain(key);
    const onAdminRoute = await h.request('GET', '/v1/business-accounts/integration-keys', { key });
    expect(onAdminRoute.status).toBe(401);
    const byOperator = await h.request('POST', '/v1/business-accounts/integration-keys', {
      key: org.operatorKey,
      body: { product: 'desk' },
    });
    expect([byOperator.status, byOperator.body.error.code]).toEqual([403, 'forbidden']);
    const unsigned = await h.request('POST', '/v1/business-accounts', {
      body: { businessManagerId: '12345', verified: true },
    });
    expect([unsigned.status, unsigned.body.error.code]).toEqual([401, 'unauthenticated']);
    const other = await createOrg(h, { name: 'Other' });
    const foreign = await h.request('DELETE', `/v1/business-accounts/integration-keys/${id}`, { key: other.adminKey });
    expect(foreign.status).toBe(404);

    const revoked = await h.request('DELETE', `/v1/business-accounts/integration-keys/${id}`, { key: org.adminKey });
    expect(revoked.status).toBe(204);
    const after = await h.request('POST', '/v1/business-accounts', {
      key,
      body: { businessManagerId: uniqueBusinessManagerId(), verified: true },
    });
    expect([after.status, after.body.error.code]).toEqual([401, 'unauthenticated']);
    const again = await h.request('DELETE', `/v1/business-accounts/integration-keys/${id}`, { key: org.adminKey });
    expect(again.status).toBe(404);
  });

  // Senders were registered with the Business Manager ID as their waba_id, which Twilio's Senders API refuses.
  it('takes an approval only with the WhatsApp Business Account its senders are registered under', async () => {
    const linkOrg = await createOrg(h);
    await consent(h, linkOrg);
    const bm = uniqueBusinessManagerId();
    const desk = await integrationKey(h, linkOrg, 'desk');
    await h.request('POST', '/v1/business-accounts', { key: desk, body: { businessManagerId: bm, verified: true } });
    const { requestId: linkId } = (await linkExisting(linkOrg, bm)).body.request;
    const approve = (body: unknown) =>
      h.request('POST', `/v1/business-accounts/link-requests/${linkId}/approve`, { key: desk, body });
    for (const body of [{}, { wabaId: bm.slice(0, 3) }]) {
      const refused = await approve(body);
      expect([refused.status, refused.body.error.fields[0].field]).toEqual([400, 'wabaId']);
    }
    expect((await channel(linkOrg)).onboarding.status).toBe('pending_link_approval');
    expect((await approve({ wabaId: WABA_ID })).status).toBe(200);
    expect((await channel(linkOrg)).onboarding).toMatchObject({
      status: 'approved',
      businessManagerId: bm,
      wabaId: WABA_ID,
    });

    const accessOrg = await createOrg(h);
    await consent(h, accessOrg);
    const submitted = await h.request('POST', '/v1/whatsapp/channel/access-request', {
      key: accessOrg.adminKey,
      body: accessRequestForm(),
    });
    const { requestId } = submitted.body.request;
    const bare = await decide(h, requestId, { decision: 'approved' });
    expect([bare.status, bare.body.error.fields[0].field]).toEqual([400, 'wabaId']);
    expect((await decide(h, requestId, { decision: 'approved', wabaId: WABA_ID })).status).toBe(200);
    expect((await channel(accessOrg)).onboarding).toMatchObject({ status: 'approved', wabaId: WABA_ID });
  });
});
