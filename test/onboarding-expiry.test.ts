import { describe, expect, inject, it } from 'vitest';
import { eventually } from './helpers/fixtures';
import { useHarness } from './helpers/use-harness';
import { recordHistoryIfAsked } from './helpers/record-history';
import {
  accessRequestForm,
  consent,
  createOrg,
  integrationKey,
  decide,
  uniqueBusinessManagerId,
  type Org,
  WABA_ID,
} from './helpers/onboarding-fixtures';

// Durable timers in seconds: links expire after 2 s, access requests after 3 s with a reminder each second.
const h = useHarness({
  onboardingPolicy: { linkApprovalSeconds: 2, accessApprovalSeconds: 3, reminderSeconds: 1 },
});

const onboarding = async (org: Org) =>
  (await h.request('GET', '/v1/whatsapp/channel', { key: org.adminKey })).body.channel.onboarding;
const reached = (org: Org, status: string) =>
  eventually(
    async () => ((await onboarding(org)).status === status ? onboarding(org) : undefined),
    `onboarding to be ${status}`,
  );

describe('onboarding time limits', () => {
  it('expires a link request the other product never approves, and refuses a late approval', async () => {
    const org = await createOrg(h);
    await consent(h, org);
    const bm = uniqueBusinessManagerId();
    const desk = await integrationKey(h, org, 'desk');
    await h.request('POST', '/v1/business-accounts', { key: desk, body: { businessManagerId: bm, verified: true } });
    const linked = await h.request('POST', '/v1/whatsapp/channel/link-existing', {
      key: org.adminKey,
      body: { businessManagerId: bm },
    });
    expect(linked.status).toBe(202);
    const expired = await reached(org, 'expired');
    expect(expired.reason).toContain('the other product to approve the link');
    const late = await h.request(
      'POST',
      `/v1/business-accounts/link-requests/${linked.body.request.requestId}/approve`,
      { key: desk, body: { wabaId: WABA_ID } },
    );
    expect([late.status, late.body.error.code]).toEqual([409, 'request_not_pending']);
    const buy = await h.request('GET', '/v1/whatsapp/numbers/available?country=US&type=local', { key: org.adminKey });
    expect([buy.status, buy.body.error.code]).toEqual([409, 'approval_required']);
  });

  it('reminds the provider while an access request waits, then expires it', async () => {
    const org = await createOrg(h);
    await consent(h, org);
    const submitted = await h.request('POST', '/v1/whatsapp/channel/access-request', {
      key: org.adminKey,
      body: accessRequestForm(),
    });
    const { requestId } = submitted.body.request;
    const expired = await reached(org, 'expired');
    expect(expired.reason).toContain("the provider's decision");
    expect(expired.remindersSent).toBe(2);
    expect(expired.history.map((e: any) => e.event)).toEqual([
      'pending_approval',
      'submitted_to_provider',
      'reminder_sent',
      'reminder_sent',
      'expired',
    ]);
    expect(h.emulator.accessRequests().find((r) => r.reference === requestId)?.reminders).toBe(2);
    const late = await decide(h, requestId, { decision: 'approved', wabaId: WABA_ID });
    expect([late.status, late.body.error.code]).toEqual([409, 'request_not_pending']);
    await h.temporal.workflow.getHandle(`onboarding:${org.orgId}`).result();
    recordHistoryIfAsked(
      inject('temporalAddress'),
      `onboarding:${org.orgId}`,
      'onboarding-access-request-reminded-then-expired',
    );
  });
});
