import { describe, expect, inject, it } from 'vitest';
import { CONNECTION_OVERRIDES } from '../src/providers/twilio/twilio-webhook-urls';
import { eventually } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';
import { recordHistoryIfAsked } from './helpers/record-history';
import { approvedOrg, consent, createOrg, numberReaching, WABA_ID, type Org } from './helpers/onboarding-fixtures';

const h = useHarness();
const org = useFixture(() => approvedOrg(h));

const available = (o: Org, query: string) =>
  h.request('GET', `/v1/whatsapp/numbers/available?${query}`, { key: o.adminKey });
const buy = (o: Org, body: Record<string, unknown>) =>
  h.request('POST', '/v1/whatsapp/numbers', { key: o.adminKey, body: { country: 'US', type: 'toll_free', ...body } });
const subscriptionCharges = async (o: Org) =>
  (
    await h.database
      .sql`select idempotency_key, amount_cents, status from payments where org_id = ${o.orgId} and purpose = 'subscription' order by created_at`
  ).map((r) => ({ ...r }));

/** The provisioning run, which continued as new into the first subscription period. */
async function recordFirstRun(workflowId: string, name: string) {
  if (!process.env.RECORD_HISTORIES) return;
  for await (const run of h.temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    if (run.status.name === 'CONTINUED_AS_NEW')
      return recordHistoryIfAsked(inject('temporalAddress'), workflowId, name, run.runId);
  }
  throw new Error(`no finished first run of ${workflowId}`);
}

describe('buying a number (F9, F13)', () => {
  it('refuses listing and buying before approval (409) and without a card (402)', async () => {
    const pending = await createOrg(h);
    await consent(h, pending);
    const beforeApproval = await available(pending, 'country=US&type=toll_free');
    expect([beforeApproval.status, beforeApproval.body.error.code]).toEqual([409, 'approval_required']);
    const buyBeforeApproval = await buy(pending, { phoneNumber: '+18332000001' });
    expect([buyBeforeApproval.status, buyBeforeApproval.body.error.code]).toEqual([409, 'approval_required']);

    const noCard = await approvedOrg(h, 'No Card');
    await h.database.sql`delete from payment_methods where org_id = ${noCard.orgId}`;
    const listed = await available(noCard, 'country=US&type=toll_free');
    expect([listed.status, listed.body.error.code]).toEqual([402, 'payment_method_required']);
    const bought = await buy(noCard, { phoneNumber: '+18332000001' });
    expect([bought.status, bought.body.error.code]).toEqual([402, 'payment_method_required']);
    expect((await h.request('GET', '/v1/whatsapp/numbers', { key: noCard.adminKey })).body.numbers).toEqual([]);
  });

  it('lists the numbers Twilio has for sale with their monthly price, and validates the query', async () => {
    const res = await available(org, 'country=US&type=toll_free');
    expect(res.status).toBe(200);
    expect(res.body.numbers.length).toBeGreaterThan(5);
    expect(res.body.numbers[0]).toMatchObject({
      phoneNumber: expect.stringMatching(/^\+1833/),
      country: 'US',
      type: 'toll_free',
      monthlyPrice: { cents: 250, usd: '2.50' },
    });
    const bad = await available(org, 'country=usa&type=premium');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.map((f: any) => f.field).sort()).toEqual(['country', 'type']);
    const badPattern = await available(org, 'country=US&type=local&contains=abc');
    expect([badPattern.status, badPattern.body.error.fields[0].field]).toEqual([400, 'contains']);
  });

  it('buys, registers the WhatsApp sender, charges the first month once it is ONLINE, and shows the expiry', async () => {
    const [pick] = (await available(org, 'country=US&type=local')).body.numbers;
    const res = await buy(org, {
      phoneNumber: pick.phoneNumber,
      type: 'local',
      brandId: org.brandId,
      departmentId: org.departmentId,
    });
    expect(res.status).toBe(202);
    expect(res.body.number).toMatchObject({
      phoneNumber: pick.phoneNumber,
      status: 'pending',
      source: 'purchased',
      provisioningStep: 'purchasing',
    });
    const live = await numberReaching(h, org, res.body.number.id, ['active', 'failed']);
    expect(live).toMatchObject({
      status: 'active',
      statusReason: null,
      brandId: org.brandId,
      departmentId: org.departmentId,
    });
    expect(live.subscription).toMatchObject({ state: 'active', monthlyPriceUsd: '1.50', renewsAutomatically: true });
    const expiresInMs = Date.parse(live.subscription.expiresAt) - Date.now();
    expect(expiresInMs).toBeGreaterThan(3_500_000);
    expect(expiresInMs).toBeLessThanOrEqual(3_600_000);
    const sender = h.emulator.senders().find((s) => s.senderId === `whatsapp:${pick.phoneNumber}`);
    // In the organisation's own subaccount, under the WhatsApp Business Account the approval carried (it was
    // the Business Manager ID, which the Senders API does not take).
    const subaccount = (await h.request('GET', '/v1/whatsapp/channel', { key: org.adminKey })).body.channel
      .twilioAccount.sid;
    expect(h.emulator.accountOfNumber(pick.phoneNumber)?.sid).toBe(subaccount);
    expect(sender).toMatchObject({
      status: 'ONLINE',
      wabaId: WABA_ID,
      profileName: 'Acme Shoes',
      // Twilio delivers a customer's message again on any failure only because this URL asks it to.
      callbackUrl: `${h.apiUrl}/webhooks/twilio/messages#${CONNECTION_OVERRIDES}`,
    });
    expect(await subscriptionCharges(org)).toEqual([
      { idempotency_key: `subscription:${res.body.number.id}:1:1`, amount_cents: 150, status: 'succeeded' },
    ]);

    const again = await buy(org, { phoneNumber: pick.phoneNumber, type: 'local' });
    expect([again.status, again.body.error.code]).toEqual([409, 'number_already_registered']);
    const channel = await h.request('GET', '/v1/whatsapp/channel', { key: org.adminKey });
    expect(channel.body.channel.numbers.find((n: any) => n.id === res.body.number.id).subscription.expiresAt).toBe(
      live.subscription.expiresAt,
    );
    await recordFirstRun(`number:${org.orgId}:${pick.phoneNumber}`, 'number-bought-and-activated');
  });

  it('fails clearly and charges nothing when someone else bought the number after it was listed', async () => {
    const before = (await subscriptionCharges(org)).length;
    const [, pick] = (await available(org, 'country=US&type=toll_free')).body.numbers;
    h.emulator.takeNumber(pick.phoneNumber);
    const res = await buy(org, { phoneNumber: pick.phoneNumber });
    const failed = await numberReaching(h, org, res.body.number.id, ['failed', 'active']);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toContain('no longer available');
    expect(await subscriptionCharges(org)).toHaveLength(before);
  });

  it('releases the number and charges nothing when the WhatsApp sender goes OFFLINE', async () => {
    const before = (await subscriptionCharges(org)).length;
    const [, , pick] = (await available(org, 'country=US&type=toll_free')).body.numbers;
    h.emulator.planSender(pick.phoneNumber, {
      status: 'OFFLINE',
      reason: { code: '63112', message: 'Meta disabled the WhatsApp Business Account' },
    });
    const res = await buy(org, { phoneNumber: pick.phoneNumber });
    const failed = await numberReaching(h, org, res.body.number.id, ['failed', 'active']);
    expect(failed.status).toBe('failed');
    expect(failed.statusReason).toBe(
      'The WhatsApp sender went OFFLINE: Meta disabled the WhatsApp Business Account (63112)',
    );
    expect(h.emulator.releasedNumbers()).toContain(pick.phoneNumber);
    expect(await subscriptionCharges(org)).toHaveLength(before);
    await h.temporal.workflow.getHandle(`number:${org.orgId}:${pick.phoneNumber}`).result();
    recordHistoryIfAsked(inject('temporalAddress'), `number:${org.orgId}:${pick.phoneNumber}`, 'number-sender-offline');
  });

  it('refuses a half-given association and another organisation’s brand, creating nothing', async () => {
    const half = await buy(org, { phoneNumber: '+18332000009', brandId: org.brandId });
    expect([half.status, half.body.error.fields[0].field]).toEqual([400, 'departmentId']);
    const other = await createOrg(h, { name: 'Other' });
    const foreign = await buy(org, {
      phoneNumber: '+18332000009',
      brandId: other.brandId,
      departmentId: org.departmentId,
    });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'brand_not_found']);
    const numbers = (await h.request('GET', '/v1/whatsapp/numbers', { key: org.adminKey })).body.numbers;
    expect(numbers.some((n: any) => n.phoneNumber === '+18332000009')).toBe(false);
  });

  it('finishes a purchase whose worker stopped while the sender was in review, charging once', async () => {
    const [, , , pick] = (await available(org, 'country=US&type=toll_free')).body.numbers;
    const res = await buy(org, { phoneNumber: pick.phoneNumber });
    const sender = await eventually(
      () => h.emulator.senders().find((s) => s.senderId === `whatsapp:${pick.phoneNumber}`),
      'the sender registration',
    );
    h.emulator.setSenderStatus(sender.sid, 'TWILIO_REVIEW');
    const early = await h.request('DELETE', `/v1/whatsapp/numbers/${res.body.number.id}`, { key: org.adminKey });
    expect([early.status, early.body.error.code]).toEqual([409, 'number_not_active']);
    await h.stopWorker();
    h.emulator.setSenderStatus(sender.sid, 'ONLINE');
    await h.startWorker();
    // The new worker takes over once the stopped one's sticky task queue times out (10 s).
    const live = await numberReaching(h, org, res.body.number.id, ['active', 'failed'], 50_000);
    expect(live.status).toBe('active');
    expect(
      (await subscriptionCharges(org)).filter((c) =>
        c.idempotency_key.startsWith(`subscription:${res.body.number.id}:`),
      ),
    ).toHaveLength(1);
  });

  it('answers 409 number_purchase_in_progress to buying a number whose purchase is already running', async () => {
    const [, , , , pick] = (await available(org, 'country=US&type=toll_free')).body.numbers;
    // No worker: the purchase starts, but nothing records it, so the buyer hears 503 and tries again.
    await h.stopWorker();
    try {
      const lost = await buy(org, { phoneNumber: pick.phoneNumber });
      expect([lost.status, lost.body.error.code]).toEqual([503, 'temporarily_unavailable']);
      const again = await buy(org, { phoneNumber: pick.phoneNumber });
      expect([again.status, again.body.error.code]).toEqual([409, 'number_purchase_in_progress']);
    } finally {
      await h.startWorker();
    }
    // The one purchase goes on once a worker is back.
    await eventually(async () => {
      const { numbers } = (await h.request('GET', '/v1/whatsapp/numbers', { key: org.adminKey })).body;
      return numbers.some((n: any) => n.phoneNumber === pick.phoneNumber && n.status === 'active');
    }, 'the purchase to finish');
  });
});
