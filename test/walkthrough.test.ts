import { describe, expect, it } from 'vitest';
import { eventually } from './helpers/fixtures';
import { useHarness } from './helpers/use-harness';
import { accessRequestForm, createOrg, decide, numberReaching } from './helpers/onboarding-fixtures';

const h = useHarness();

// The README's "From an empty organisation to a live number" section, step by step.
describe('onboarding walkthrough', () => {
  it("takes an organisation from nothing to a live number whose customer's message reaches an operator", async () => {
    const org = await createOrg(h, { name: 'Walkthrough' });
    const admin = (method: string, path: string, body?: unknown) =>
      h.request(method, path, { key: org.adminKey, body });

    expect(
      (await admin('POST', '/v1/whatsapp/channel', { acceptIntermediaryTerms: true, termsVersion: '2026-11' })).status,
    ).toBe(201);
    const request = await admin('POST', '/v1/whatsapp/channel/access-request', accessRequestForm());
    expect(request.body.request.status).toBe('pending_approval');
    expect((await decide(h, request.body.request.requestId, { decision: 'approved' })).status).toBe(200);
    expect((await admin('PUT', '/v1/billing/payment-method', { token: 'tok_sandbox_visa' })).status).toBe(200);
    const points = await h.request('POST', '/v1/wallet/purchases', {
      key: org.adminKey,
      body: { points: 1 },
      headers: { 'idempotency-key': `walkthrough-${org.orgId}` },
    });
    expect(points.status).toBe(201);

    const [pick] = (await admin('GET', '/v1/whatsapp/numbers/available?country=US&type=toll_free')).body.numbers;
    const bought = await admin('POST', '/v1/whatsapp/numbers', {
      phoneNumber: pick.phoneNumber,
      country: 'US',
      type: 'toll_free',
      brandId: org.brandId,
      departmentId: org.departmentId,
    });
    expect(bought.status).toBe(202);
    expect((await numberReaching(h, org, bought.body.number.id, ['active', 'failed'])).status).toBe('active');

    await h.emulator.playInbound({ from: '+15550004242', to: pick.phoneNumber, body: 'Is my order on its way?' });
    const conversation = await eventually(async () => {
      const list = await h.request('GET', '/v1/conversations', { key: org.operatorKey });
      return list.body.conversations.find(
        (c: any) => c.customerAddress === '+15550004242' && c.operatorId === org.operatorId,
      );
    }, 'the conversation to reach the operator');
    expect(conversation).toMatchObject({
      numberId: bought.body.number.id,
      brandId: org.brandId,
      departmentId: org.departmentId,
      status: 'open',
    });

    const reply = await h.request('POST', `/v1/conversations/${conversation.id}/messages`, {
      key: org.operatorKey,
      body: { body: 'Yes, it ships today.' },
    });
    expect(reply.status).toBe(201);
    expect(h.emulator.sentMessages().find((m) => m.body === 'Yes, it ships today.')).toMatchObject({
      from: `whatsapp:${pick.phoneNumber}`,
      to: 'whatsapp:+15550004242',
    });
  });
});
