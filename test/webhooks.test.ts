import { Connection, Client } from '@temporalio/client';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database';
import { createApp } from '../src/api/app';
import { createLogger } from '../src/logger';
import { createDesk, eventually, inboundForm, openChats, postSignedForm } from './helpers/fixtures';
import { ACCOUNT_SID, AUTH_TOKEN, SECRETS_KEY, useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h));

const INBOUND = '/webhooks/twilio/messages';

async function storedMessages(providerSid: string) {
  return h.database.sql`select id from messages where provider_sid = ${providerSid}`;
}

describe('inbound webhook refusals', () => {
  it('answers 403 to a wrong signature and stores nothing', async () => {
    const form = inboundForm(desk);
    const res = await postSignedForm(h, INBOUND, form, { authToken: 'someone-elses-auth-token-000000' });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('invalid_signature');
    expect(await storedMessages(form.MessageSid!)).toHaveLength(0);
  });

  it('answers 403 to a missing signature', async () => {
    const res = await postSignedForm(h, INBOUND, inboundForm(desk), { signature: null });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('missing_signature');
  });

  it('answers 403 when a signed field was changed on the way', async () => {
    const form = inboundForm(desk);
    const url = `${h.apiUrl}${INBOUND}`;
    const { default: twilio } = await import('twilio');
    const signature = twilio.getExpectedTwilioSignature(desk.twilioAccount.authToken, url, form);
    const res = await postSignedForm(h, INBOUND, { ...form, Body: 'tampered' }, { signature });
    expect(res.status).toBe(403);
  });

  it('answers 400 naming the field when a signed form is malformed', async () => {
    const { MessageSid: _drop, ...withoutSid } = inboundForm(desk);
    const missing = await postSignedForm(h, INBOUND, withoutSid);
    expect(missing.status).toBe(400);
    expect(missing.json.error).toMatchObject({ code: 'validation_failed' });
    expect(missing.json.error.fields.map((f: any) => f.field)).toContain('MessageSid');
    const badFrom = await postSignedForm(h, INBOUND, inboundForm(desk, { From: '+15550001111' }));
    expect(badFrom.status).toBe(400);
    expect(badFrom.json.error.message).toContain('From');
  });

  it('answers 413 to an oversized body', async () => {
    const res = await postSignedForm(h, INBOUND, inboundForm(desk, { Body: 'x'.repeat(70_000) }));
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('payload_too_large');
  });

  it('answers 404 for a number that is not ours and stores nothing', async () => {
    const form = inboundForm(desk, { To: 'whatsapp:+442071838750' });
    const res = await postSignedForm(h, INBOUND, form);
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('unknown_number');
    expect(await storedMessages(form.MessageSid!)).toHaveLength(0);
  });

  it("answers 403 unknown_account to a message naming no organisation's subaccount, and stores nothing", async () => {
    const strangers = [`AC${'b2'.repeat(16)}`, ACCOUNT_SID];
    for (const AccountSid of strangers) {
      const form = inboundForm(desk, { AccountSid });
      const res = await postSignedForm(h, INBOUND, form, { authToken: AUTH_TOKEN });
      expect([res.status, res.json.error.code]).toEqual([403, 'unknown_account']);
      expect(await storedMessages(form.MessageSid!)).toHaveLength(0);
    }
  });

  it('acknowledges with empty TwiML only after recording', async () => {
    const form = inboundForm(desk, { From: 'whatsapp:+15550009999' });
    const res = await postSignedForm(h, INBOUND, form);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Response></Response>');
    expect(await storedMessages(form.MessageSid!)).toHaveLength(1);
  });
});

describe('behind a proxy that serves Switchboard under a path', () => {
  // PUBLIC_BASE_URL https://host/sb: Twilio signs …/sb/webhooks/…, the proxy forwards /webhooks/…; it answered 403.
  it('accepts a webhook signed over PUBLIC_BASE_URL with its path, and refuses one signed without it', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const publicBaseUrl = `${url}/sb`;
    server.on(
      'request',
      createApp({
        db: h.database.db,
        sql: h.database.sql,
        temporal: h.temporal,
        taskQueue: h.taskQueue,
        logger: createLogger('silent'),
        publicBaseUrl,
        twilio: h.subaccounts,
        secretsKey: SECRETS_KEY,
      }),
    );
    const form = inboundForm(desk, { From: 'whatsapp:+15550007778' });
    const signedOver = (signedUrl: string) =>
      twilio.getExpectedTwilioSignature(desk.twilioAccount.authToken, signedUrl, form);
    const viaProxy = { ...h, apiUrl: url };
    const withoutPrefix = await postSignedForm(viaProxy, INBOUND, form, { signature: signedOver(`${url}${INBOUND}`) });
    const asTwilioSigns = await postSignedForm(viaProxy, INBOUND, form, {
      signature: signedOver(`${publicBaseUrl}${INBOUND}`),
    });
    server.close();
    expect([withoutPrefix.status, asTwilioSigns.status]).toEqual([403, 200]);
  });
});

describe('inbound webhook when a dependency is down', () => {
  it('answers 503 when Temporal is unreachable, keeps the message, and a retry starts the conversation', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const deadTemporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) });
    server.on(
      'request',
      createApp({
        db: h.database.db,
        sql: h.database.sql,
        temporal: deadTemporal,
        taskQueue: h.taskQueue,
        logger: createLogger('silent'),
        publicBaseUrl: url,
        twilio: h.subaccounts,
        secretsKey: SECRETS_KEY,
      }),
    );
    const form = inboundForm(desk, { From: 'whatsapp:+15550007777' });
    const down = await postSignedForm({ ...h, apiUrl: url }, INBOUND, form);
    server.close();
    expect(down.status).toBe(503);
    expect(down.json.error.code).toBe('temporarily_unavailable');
    expect(await storedMessages(form.MessageSid!)).toHaveLength(1);

    const retried = await postSignedForm(h, INBOUND, form);
    expect(retried.status).toBe(200);
    expect(await storedMessages(form.MessageSid!)).toHaveLength(1);
    await eventually(async () => {
      const list = await h.request('GET', '/v1/conversations?status=open', { key: desk.adminKey });
      return list.body.conversations.find((c: any) => c.customerAddress === '+15550007777');
    }, 'the conversation to be routed after the retry');
  });

  it('answers 503 when Postgres is unreachable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const deadDb = openDatabase('postgres://postgres@127.0.0.1:1/none');
    server.on(
      'request',
      createApp({
        db: deadDb.db,
        sql: deadDb.sql,
        temporal: h.temporal,
        taskQueue: h.taskQueue,
        logger: createLogger('silent'),
        publicBaseUrl: url,
        twilio: h.subaccounts,
        secretsKey: SECRETS_KEY,
      }),
    );
    const res = await postSignedForm({ ...h, apiUrl: url }, INBOUND, inboundForm(desk));
    server.close();
    await deadDb.close();
    expect(res.status).toBe(503);
  });
});

describe('status callbacks', () => {
  it('answers 200 to a callback for an unknown MessageSid', async () => {
    const res = await postSignedForm(h, '/webhooks/twilio/status', {
      MessageSid: `SM${'c3'.repeat(16)}`,
      AccountSid: desk.twilioAccount.sid,
      MessageStatus: 'delivered',
    });
    expect(res.status).toBe(200);
  });

  it('refuses a status callback naming no subaccount of ours with 403 unknown_account, and moves no message', async () => {
    const [conv] = await openChats(h, desk, 1);
    const reply = await h.request('POST', `/v1/conversations/${conv.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'On its way' },
    });
    const sid = reply.body.message.providerSid as string;
    const res = await postSignedForm(h, '/webhooks/twilio/status', {
      MessageSid: sid,
      AccountSid: `AC${'d4'.repeat(16)}`,
      MessageStatus: 'failed',
      ErrorCode: '30008',
    });
    expect([res.status, res.json?.error?.code]).toEqual([403, 'unknown_account']);
    const [row] = await h.database.sql`select status from messages where provider_sid = ${sid}`;
    expect(row!.status).not.toBe('failed');
  });

  it('answers 403 to an unsigned status callback', async () => {
    const res = await postSignedForm(
      h,
      '/webhooks/twilio/status',
      { MessageSid: `SM${'c3'.repeat(16)}`, AccountSid: desk.twilioAccount.sid, MessageStatus: 'read' },
      { signature: null },
    );
    expect(res.status).toBe(403);
  });
});
