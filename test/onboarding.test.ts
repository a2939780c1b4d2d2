import { describe, expect, inject, it } from 'vitest';
import { consentToChannel } from './helpers/fixtures';
import { useHarness } from './helpers/use-harness';
import { recordHistoryIfAsked } from './helpers/record-history';
import {
  accessRequestForm,
  consent,
  createOrg,
  decide,
  integrationKey,
  uniqueBusinessManagerId,
  type Org,
  WABA_ID,
} from './helpers/onboarding-fixtures';

const h = useHarness();

const channel = async (org: Org) =>
  (await h.request('GET', '/v1/whatsapp/channel', { key: org.adminKey })).body.channel;
const linkExisting = (org: Org, businessManagerId: string) =>
  h.request('POST', '/v1/whatsapp/channel/link-existing', { key: org.adminKey, body: { businessManagerId } });
const requestAccess = (org: Org, form: Record<string, unknown>) =>
  h.request('POST', '/v1/whatsapp/channel/access-request', { key: org.adminKey, body: form });

describe('before consent (F5)', () => {
  it('refuses every WhatsApp channel step with 409 consent_required', async () => {
    const org = await createOrg(h);
    const steps = [
      await linkExisting(org, '123456789'),
      await requestAccess(org, accessRequestForm()),
      await h.request('GET', '/v1/whatsapp/numbers/available?country=US&type=toll_free', { key: org.adminKey }),
      await h.request('POST', '/v1/whatsapp/numbers', {
        key: org.adminKey,
        body: { phoneNumber: '+18332000001', country: 'US', type: 'toll_free' },
      }),
    ];
    expect(steps.map((s) => [s.status, s.body.error.code])).toEqual(Array(4).fill([409, 'consent_required']));
    expect(h.emulator.accessRequests()).toEqual([]);
  });
});

describe('linking an existing Business Manager account (F6)', () => {
  it('answers 404 with a hint when no other product linked that account', async () => {
    const org = await createOrg(h);
    await consent(h, org);
    const res = await linkExisting(org, '987654321');
    expect([res.status, res.body.error.code]).toEqual([404, 'business_account_not_found']);
    expect(res.body.error.message).toContain('/v1/whatsapp/channel/access-request');
  });

  it('waits for the other product to approve, then enables buying numbers', async () => {
    const org = await createOrg(h);
    await consent(h, org);
    const bm = uniqueBusinessManagerId();
    const desk = await integrationKey(h, org, 'desk');
    const account = await h.request('POST', '/v1/business-accounts', {
      key: desk,
      body: { businessManagerId: bm, verified: true },
    });
    expect([account.status, account.body.businessAccount.product]).toEqual([201, 'desk']);
    const linked = await linkExisting(org, bm);
    expect(linked.status).toBe(202);
    expect(linked.body.request).toMatchObject({
      status: 'pending_link_approval',
      method: 'existing',
      businessManagerId: bm,
    });
    expect(linked.body.next).toContain(`/v1/business-accounts/link-requests/${linked.body.request.requestId}/approve`);
    expect((await channel(org)).onboarding).toMatchObject({ status: 'pending_link_approval', canBuyNumbers: false });

    const again = await linkExisting(org, bm);
    expect([again.status, again.body.error.code]).toEqual([409, 'onboarding_in_progress']);

    const approve = (key: string) =>
      h.request('POST', `/v1/business-accounts/link-requests/${linked.body.request.requestId}/approve`, {
        key,
        body: { wabaId: WABA_ID },
      });
    const other = await createOrg(h, { name: 'Other' });
    const foreign = await approve(await integrationKey(h, other, 'desk'));
    expect(foreign.status).toBe(404);
    // The admin who asked cannot approve; nor can a product that did not link this account.
    const byAdmin = await approve(org.adminKey);
    expect([byAdmin.status, byAdmin.body.error.code]).toEqual([403, 'integration_key_required']);
    const byCrm = await approve(await integrationKey(h, org, 'crm'));
    expect([byCrm.status, byCrm.body.error.code]).toEqual([403, 'forbidden']);

    const approved = await approve(desk);
    expect([approved.status, approved.body.request.status]).toEqual([200, 'approved']);
    const info = await channel(org);
    expect(info.onboarding).toMatchObject({ status: 'approved', method: 'existing', canBuyNumbers: true });
    expect(info.onboarding.history.map((e: any) => e.event)).toEqual(['pending_link_approval', 'approved']);

    const twice = await approve(desk);
    expect([twice.status, twice.body.error.code]).toEqual([409, 'request_not_pending']);
    const afterApproval = await linkExisting(org, bm);
    expect([afterApproval.status, afterApproval.body.error.code]).toEqual([409, 'already_approved']);
    await h.temporal.workflow.getHandle(`onboarding:${org.orgId}`).result();
    recordHistoryIfAsked(inject('temporalAddress'), `onboarding:${org.orgId}`, 'onboarding-link-existing-approved');
  });

  it('refuses a malformed Business Manager ID and a duplicate account', async () => {
    const org = await createOrg(h);
    await consent(h, org);
    const bad = await linkExisting(org, 'bm-12');
    expect([bad.status, bad.body.error.fields[0].field]).toEqual([400, 'businessManagerId']);
    const crm = await integrationKey(h, org, 'crm');
    const body = { businessManagerId: '55555555', product: 'crm', verified: true };
    expect((await h.request('POST', '/v1/business-accounts', { key: crm, body })).status).toBe(201);
    const dup = await h.request('POST', '/v1/business-accounts', { key: crm, body });
    expect([dup.status, dup.body.error.code]).toEqual([409, 'already_exists']);
  });
});

describe('requesting access for a new link (F7, F8)', () => {
  it.each([
    ['businessManagerId', { businessManagerId: 'abc' }],
    ['businessManagerVerified', { businessManagerVerified: 'yes' }],
    ['businessName', { businessName: '' }],
    ['website', { website: 'acme dot test' }],
    ['contactEmail', { contactEmail: 'not-an-email' }],
    ['contactPhone', { contactPhone: '0415 555 0999' }],
  ])('refuses a bad %s with 400 naming the field, and submits nothing', async (field, override) => {
    const org = await createOrg(h);
    await consent(h, org);
    const res = await requestAccess(org, accessRequestForm(override));
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: any) => f.field)).toEqual([field]);
    expect((await channel(org)).onboarding.status).toBe('not_started');
  });

  it('refuses an unverified Business Manager account and a contact phone that is the WhatsApp number', async () => {
    const org = await createOrg(h);
    const { sid: accountSid } = await consentToChannel(h, org.adminKey);
    const unverified = await requestAccess(org, accessRequestForm({ businessManagerVerified: false }));
    expect([unverified.status, unverified.body.error.code]).toEqual([422, 'business_manager_not_verified']);
    h.emulator.addNumber('+14155557777', { whatsappSender: true, accountSid });
    const adopted = await h.request('POST', '/v1/whatsapp/numbers/existing', {
      key: org.adminKey,
      body: { phoneNumber: '+14155557777', brandId: org.brandId, departmentId: org.departmentId },
    });
    expect(adopted.status).toBe(201);
    const ownNumber = await requestAccess(org, accessRequestForm({ contactPhone: '+14155557777' }));
    expect([ownNumber.status, ownNumber.body.error.code]).toEqual([422, 'contact_phone_is_whatsapp_number']);
    expect((await channel(org)).onboarding.status).toBe('not_started');
  });

  it("submits the form to the provider's desk, shows the rejection with its reason, and accepts a new request", async () => {
    const org = await createOrg(h);
    await consent(h, org);
    const form = accessRequestForm();
    const submitted = await requestAccess(org, form);
    expect(submitted.status).toBe(202);
    const { requestId } = submitted.body.request;
    expect(submitted.body.request.status).toBe('pending_approval');
    const atDesk = await eventuallyAtDesk(requestId);
    expect(atDesk).toMatchObject({
      businessManagerId: form.businessManagerId,
      businessName: 'Acme Trading Ltd',
      contactPhone: '+14155550999',
    });

    const noSecret = await decide(h, requestId, { decision: 'approved', wabaId: WABA_ID }, null);
    const wrongSecret = await decide(
      h,
      requestId,
      { decision: 'approved', wabaId: WABA_ID },
      'not-the-provider-secret-000',
    );
    expect([noSecret.status, wrongSecret.status]).toEqual([401, 401]);
    const noReason = await decide(h, requestId, { decision: 'rejected' });
    expect([noReason.status, noReason.body.error.fields[0].field]).toEqual([400, 'reason']);
    const unknown = await decide(h, '00000000-0000-4000-8000-000000000000', { decision: 'approved', wabaId: WABA_ID });
    expect(unknown.status).toBe(404);

    const rejected = await decide(h, requestId, {
      decision: 'rejected',
      reason: 'The business website does not match the Business Manager',
    });
    expect([rejected.status, rejected.body.request.status]).toEqual([200, 'rejected']);
    const info = await channel(org);
    expect(info.onboarding).toMatchObject({
      status: 'rejected',
      reason: 'The business website does not match the Business Manager',
      canBuyNumbers: false,
    });
    expect(info.onboarding.history.map((e: any) => e.event)).toEqual([
      'pending_approval',
      'submitted_to_provider',
      'rejected',
    ]);
    const buy = await h.request('GET', '/v1/whatsapp/numbers/available?country=US&type=local', { key: org.adminKey });
    expect([buy.status, buy.body.error.code]).toEqual([409, 'approval_required']);
    const late = await decide(h, requestId, { decision: 'approved', wabaId: WABA_ID });
    expect([late.status, late.body.error.code]).toEqual([409, 'request_not_pending']);

    const asLink = await h.request('POST', `/v1/business-accounts/link-requests/${requestId}/approve`, {
      key: await integrationKey(h, org, 'desk'),
    });
    expect(asLink.status).toBe(404);

    const retry = await requestAccess(org, accessRequestForm({ website: 'https://acme-trading.test' }));
    expect(retry.status).toBe(202);
    expect((await decide(h, retry.body.request.requestId, { decision: 'approved', wabaId: WABA_ID })).status).toBe(200);
    expect((await channel(org)).onboarding).toMatchObject({
      status: 'approved',
      method: 'access_request',
      canBuyNumbers: true,
    });
    await h.temporal.workflow.getHandle(`onboarding:${org.orgId}`).result();
    recordHistoryIfAsked(inject('temporalAddress'), `onboarding:${org.orgId}`, 'onboarding-access-request-approved');
  });
});

async function eventuallyAtDesk(requestId: string) {
  for (let i = 0; i < 100; i++) {
    const found = h.emulator.accessRequests().find((r) => r.reference === requestId);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the access request never reached the desk');
}
