import { describe, expect, inject, it } from 'vitest';
import { createTwilioClient } from '../src/providers/twilio/twilio-client';
import { subaccountName } from '../src/providers/twilio/twilio-subaccounts';
import {
  consentToChannel,
  createDesk,
  createOrg,
  eventually,
  inboundForm,
  openChat,
  postSignedForm,
} from './helpers/fixtures';
import { recordHistoryIfAsked } from './helpers/record-history';
import { ACCOUNT_SID, AUTH_TOKEN, useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));
const other = useFixture(() => createDesk(h, { points: 1 }));

const INBOUND = '/webhooks/twilio/messages';
const consent = { acceptIntermediaryTerms: true, termsVersion: '2026-11' };
const storedMessages = (sid: string) => h.database.sql`select id from messages where provider_sid = ${sid}`;
const balance = async (key: string) => (await h.request('GET', '/v1/wallet', { key })).body.wallet.balanceCredits;

describe('one Twilio subaccount per organisation', () => {
  it('is made at consent under the main account, its token kept sealed and never shown', async () => {
    expect(desk.twilioAccount.sid).not.toBe(other.twilioAccount.sid);
    const made = h.emulator.accounts().filter((a) => a.ownerAccountSid === ACCOUNT_SID);
    expect(made.map((a) => a.friendlyName)).toEqual(
      expect.arrayContaining([subaccountName(desk.orgId), subaccountName(other.orgId)]),
    );
    const channel = await h.request('GET', '/v1/whatsapp/channel', { key: desk.adminKey });
    expect(channel.body.channel.twilioAccount).toEqual({ sid: desk.twilioAccount.sid, status: 'active', reason: null });
    expect(JSON.stringify(channel.body)).not.toContain(desk.twilioAccount.authToken);
    const [row] = await h.database.sql`select * from whatsapp_channels where org_id = ${desk.orgId}`;
    expect(JSON.stringify(row)).not.toContain(desk.twilioAccount.authToken);
  });

  it('is "creating" while Twilio cannot make it, then active once Twilio answers, made once', async () => {
    const org = await createOrg(h);
    h.emulator.failNextAccountCreation({ status: 503, code: 20500, times: 3 });
    const res = await h.request('POST', '/v1/whatsapp/channel', { key: org.adminKey, body: consent });
    expect([res.status, res.body.channel.twilioAccount.status]).toEqual([201, 'creating']);
    const templates = await h.request('GET', '/v1/whatsapp/templates', { key: org.adminKey });
    expect([templates.status, templates.body.error.code]).toEqual([409, 'twilio_account_not_ready']);
    await eventually(async () => {
      const channel = await h.request('GET', '/v1/whatsapp/channel', { key: org.adminKey });
      return channel.body.channel.twilioAccount.status === 'active';
    }, 'the subaccount after the outage');
    expect(h.emulator.accounts().filter((a) => a.friendlyName === subaccountName(org.orgId))).toHaveLength(1);
    recordHistoryIfAsked(inject('temporalAddress'), `twilio-subaccount:${org.orgId}`, 'subaccount-made-after-outage');
  });

  // A worker that made the subaccount and died before keeping it: the retry finds it by name, and makes none.
  it('adopts the subaccount an earlier attempt made at Twilio before its answer was lost', async () => {
    const org = await createOrg(h);
    const main = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: h.emulator.url });
    const made = await main.api.v2010.accounts.create({ friendlyName: subaccountName(org.orgId) });
    const res = await h.request('POST', '/v1/whatsapp/channel', { key: org.adminKey, body: consent });
    expect(res.body.channel.twilioAccount).toMatchObject({ sid: made.sid, status: 'active' });
    expect(h.emulator.accounts().filter((a) => a.friendlyName === subaccountName(org.orgId))).toHaveLength(1);
  });

  it("shows Twilio's refusal, and consenting again makes it", async () => {
    const org = await createOrg(h);
    h.emulator.failNextAccountCreation({ status: 400, code: 21480, message: 'Reached maximum number of subaccounts' });
    const refused = await h.request('POST', '/v1/whatsapp/channel', { key: org.adminKey, body: consent });
    expect(refused.body.channel.twilioAccount).toMatchObject({
      sid: null,
      status: 'failed',
      reason: expect.stringContaining('21480'),
    });
    const available = await h.request('GET', '/v1/whatsapp/templates', { key: org.adminKey });
    expect(available.body.error).toMatchObject({ code: 'twilio_account_not_ready', twilioAccountStatus: 'failed' });
    recordHistoryIfAsked(inject('temporalAddress'), `twilio-subaccount:${org.orgId}`, 'subaccount-refused');
    const again = await h.request('POST', '/v1/whatsapp/channel', { key: org.adminKey, body: consent });
    expect([again.status, again.body.channel.twilioAccount.status]).toEqual([200, 'active']);
  });
});

describe("a tenant never reaches another tenant's Twilio resources", () => {
  it("lists only the organisation's own templates", async () => {
    const sids = async (key: string) =>
      (await h.request('GET', '/v1/whatsapp/templates', { key })).body.templates.map((t: any) => t.contentSid);
    const [mine, theirs] = [await sids(desk.operatorKey), await sids(other.operatorKey)];
    expect(mine).toHaveLength(3);
    expect(mine.filter((sid: string) => theirs.includes(sid))).toEqual([]);
    const own = h.emulator.templates(desk.twilioAccount.sid).map((t) => t.sid);
    expect(mine.every((sid: string) => own.includes(sid))).toBe(true);
  });

  it("cannot send another organisation's template: Twilio refuses it (21655) and the credit comes back", async () => {
    const chat = await openChat(h, desk);
    const before = await balance(desk.adminKey);
    const theirs = h.emulator.templates(other.twilioAccount.sid).find((t) => t.status === 'approved')!;
    const res = await h.request('POST', `/v1/conversations/${chat.id}/messages`, {
      key: desk.operatorKey,
      body: { contentSid: theirs.sid },
    });
    expect([res.status, res.body.error.code, res.body.error.providerErrorCode]).toEqual([
      502,
      'provider_rejected',
      '21655',
    ]);
    await eventually(async () => (await balance(desk.adminKey)) === before, 'the refund');
  });

  it("sends replies from the organisation's own subaccount", async () => {
    const chat = await openChat(h, desk);
    const res = await h.request('POST', `/v1/conversations/${chat.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'On its way' },
    });
    const sent = h.emulator.sentMessages().find((m) => m.sid === res.body.message.providerSid);
    expect(sent?.accountSid).toBe(desk.twilioAccount.sid);
  });

  it("refuses a message signed by another organisation's subaccount for this one's number, storing nothing", async () => {
    const form = inboundForm(desk, { AccountSid: other.twilioAccount.sid });
    const res = await postSignedForm(h, INBOUND, form);
    expect([res.status, res.json.error.code]).toEqual([404, 'unknown_number']);
    expect(await storedMessages(form.MessageSid!)).toHaveLength(0);
  });

  it("refuses a message naming this organisation's subaccount but signed with another's token", async () => {
    const form = inboundForm(desk);
    const res = await postSignedForm(h, INBOUND, form, { authToken: other.twilioAccount.authToken });
    expect([res.status, res.json.error.code]).toEqual([403, 'invalid_signature']);
    expect(await storedMessages(form.MessageSid!)).toHaveLength(0);
  });

  it("refuses a status callback from another organisation's subaccount about this one's message", async () => {
    const chat = await openChat(h, desk);
    const reply = await h.request('POST', `/v1/conversations/${chat.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'Shipped' },
    });
    const sid = reply.body.message.providerSid as string;
    const res = await postSignedForm(h, '/webhooks/twilio/status', {
      MessageSid: sid,
      AccountSid: other.twilioAccount.sid,
      MessageStatus: 'failed',
      ErrorCode: '30008',
    });
    expect([res.status, res.json.error.code]).toEqual([400, 'account_mismatch']);
    const [row] = await h.database.sql`select status from messages where provider_sid = ${sid}`;
    expect(row!.status).not.toBe('failed');
  });
});

describe('adopting a sender from an existing integration (F1)', () => {
  const adopt = async (key: string, org: { brandId: string; departmentId: string }, phoneNumber: string) =>
    h.request('POST', '/v1/whatsapp/numbers/existing', {
      key,
      body: { phoneNumber, brandId: org.brandId, departmentId: org.departmentId },
    });

  it("refuses a number that is not an ONLINE sender on the organisation's own subaccount", async () => {
    const org = await createOrg(h);
    const account = await consentToChannel(h, org.adminKey);
    h.emulator.addNumber('+14155550301', { whatsappSender: true, accountSid: other.twilioAccount.sid });
    h.emulator.addNumber('+14155550302', { accountSid: account.sid });
    h.emulator.addNumber('+14155550303', { whatsappSender: true, accountSid: account.sid });
    const offline = h.emulator.senders().find((s) => s.senderId === 'whatsapp:+14155550303')!;
    h.emulator.setSenderStatus(offline.sid, 'OFFLINE', { code: '63112', message: 'Meta disabled the account' });

    const answers = [];
    for (const n of ['+14155550301', '+14155550302', '+14155550303', '+14155550399'])
      answers.push(await adopt(org.adminKey, org, n));
    expect(answers.map((a) => [a.status, a.body.error.code])).toEqual([
      [404, 'sender_not_found'],
      [404, 'sender_not_found'],
      [409, 'sender_not_online'],
      [404, 'sender_not_found'],
    ]);
    const numbers = await h.request('GET', '/v1/whatsapp/numbers', { key: org.adminKey });
    expect(numbers.body.numbers).toEqual([]);

    h.emulator.addNumber('+14155550304', { whatsappSender: true, accountSid: account.sid });
    expect((await adopt(org.adminKey, org, '+14155550304')).status).toBe(201);
  });
});
