import { describe, expect, it } from 'vitest';
import { hashApiKey } from '../src/api/api-keys';
import { createDesk, postSignedForm } from './helpers/fixtures';
import { BOOTSTRAP_TOKEN, useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h));

describe('bootstrap and keys', () => {
  it('creates an organisation with an admin key that is stored only as a digest', async () => {
    const res = await h.request('POST', '/v1/orgs', { key: BOOTSTRAP_TOKEN, body: { name: 'Globex' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ org: { name: 'Globex' }, apiKey: { role: 'admin' } });
    const rows = await h.database.sql`select key_hash from api_keys where org_id = ${res.body.org.id}`;
    expect(rows.map((r) => r.key_hash)).toEqual([hashApiKey(res.body.apiKey.key)]);
    expect(JSON.stringify(rows)).not.toContain(res.body.apiKey.key);
  });

  it('refuses a wrong bootstrap token', async () => {
    const res = await h.request('POST', '/v1/orgs', { key: 'not-the-token-at-all-000000', body: { name: 'X' } });
    expect(res.status).toBe(401);
  });

  it('refuses requests without a key, or with an unknown key', async () => {
    expect((await h.request('GET', '/v1/conversations')).body.error.code).toBe('unauthenticated');
    const res = await h.request('GET', '/v1/conversations', { key: 'sb_adm_nope' });
    expect(res.status).toBe(401);
  });

  it("refuses admin actions with an operator's key", async () => {
    const res = await h.request('POST', '/v1/brands', { key: desk.operatorKey, body: { name: 'Sneaky' } });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  it("refuses an operator changing another operator's presence", async () => {
    const other = await h.request('POST', '/v1/operators', {
      key: desk.adminKey,
      body: { name: 'Omar', email: 'omar@acme.test', departmentIds: [desk.departmentId] },
    });
    const res = await h.request('PUT', `/v1/operators/${other.body.operator.id}/presence`, {
      key: desk.operatorKey,
      body: { status: 'away' },
    });
    expect(res.status).toBe(403);
  });
});

describe('directory validation', () => {
  it('names each invalid field', async () => {
    const res = await h.request('POST', '/v1/operators', {
      key: desk.adminKey,
      body: { name: '', email: 'nope', departmentIds: [] },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f: any) => f.field).sort()).toEqual(['departmentIds', 'email', 'name']);
  });

  it('answers 400 to malformed JSON and 413 to an oversized body', async () => {
    const raw = await fetch(`${h.apiUrl}/v1/brands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${desk.adminKey}`, 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as any).error.code).toBe('malformed_body');
    const big = await h.request('POST', '/v1/brands', { key: desk.adminKey, body: { name: 'x'.repeat(70_000) } });
    expect(big.status).toBe(413);
  });

  it('refuses a duplicate brand name with 409', async () => {
    const res = await h.request('POST', '/v1/brands', { key: desk.adminKey, body: { name: 'Acme Shoes' } });
    expect(res.status).toBe(409);
  });

  it("refuses linking another organisation's brand or department (404)", async () => {
    const other = await createDesk(h);
    const dept = await h.request('POST', '/v1/departments', {
      key: desk.adminKey,
      body: { name: 'Sales', brandIds: [other.brandId] },
    });
    expect(dept.status).toBe(404);
    expect(dept.body.error.code).toBe('brand_not_found');
    const op = await h.request('POST', '/v1/operators', {
      key: desk.adminKey,
      body: { name: 'Mallory', email: 'mallory@acme.test', departmentIds: [other.departmentId] },
    });
    expect(op.status).toBe(404);
    const number = await h.request('POST', '/v1/whatsapp/numbers/existing', {
      key: desk.adminKey,
      body: { phoneNumber: '+14155550199', brandId: other.brandId, departmentId: desk.departmentId },
    });
    expect(number.status).toBe(404);
  });

  it('refuses registering a number twice or a number that is not E.164', async () => {
    const again = await h.request('POST', '/v1/whatsapp/numbers/existing', {
      key: desk.adminKey,
      body: { phoneNumber: desk.number.e164, brandId: desk.brandId, departmentId: desk.departmentId },
    });
    expect(again.status).toBe(409);
    const bad = await h.request('POST', '/v1/whatsapp/numbers/existing', {
      key: desk.adminKey,
      body: { phoneNumber: '0415 555 0100', brandId: desk.brandId, departmentId: desk.departmentId },
    });
    expect(bad.status).toBe(400);
  });
});

describe('the WhatsApp channel and consent (F4, F5, F11)', () => {
  it('refuses registering a number before an admin consents to Twilio as intermediary (409)', async () => {
    const org = await h.request('POST', '/v1/orgs', { key: BOOTSTRAP_TOKEN, body: { name: 'Initech' } });
    const key = org.body.apiKey.key;
    const brand = await h.request('POST', '/v1/brands', { key, body: { name: 'Initech' } });
    const dept = await h.request('POST', '/v1/departments', {
      key,
      body: { name: 'Help', brandIds: [brand.body.brand.id] },
    });
    const register = () =>
      h.request('POST', '/v1/whatsapp/numbers/existing', {
        key,
        body: { phoneNumber: '+14155550177', brandId: brand.body.brand.id, departmentId: dept.body.department.id },
      });
    const early = await register();
    expect([early.status, early.body.error.code]).toEqual([409, 'consent_required']);
    const noChannel = await h.request('GET', '/v1/whatsapp/channel', { key });
    expect([noChannel.status, noChannel.body.error.code]).toEqual([404, 'channel_not_created']);

    const declined = await h.request('POST', '/v1/whatsapp/channel', {
      key,
      body: { acceptIntermediaryTerms: false, termsVersion: '2026-11' },
    });
    expect(declined.status).toBe(400);
    const consent = await h.request('POST', '/v1/whatsapp/channel', {
      key,
      body: { acceptIntermediaryTerms: true, termsVersion: '2026-11' },
    });
    expect(consent.status).toBe(201);
    expect(consent.body.channel.consent).toMatchObject({
      termsVersion: '2026-11',
      acceptedBy: { apiKeyPrefix: key.slice(0, 12) },
    });
    h.emulator.addNumber('+14155550177', { whatsappSender: true, accountSid: consent.body.channel.twilioAccount.sid });
    expect((await register()).status).toBe(201);
    const info = await h.request('GET', '/v1/whatsapp/channel', { key });
    expect(info.body.channel.numbers).toMatchObject([
      { phoneNumber: '+14155550177', status: 'active', source: 'existing' },
    ]);
    expect(info.body.channel.settings).toMatchObject({ chatCloseLimitSeconds: 86400, preChatForm: false });
  });
});

describe('reply refusals', () => {
  it('refuses an attachment type WhatsApp does not carry here (415) and an empty reply (400)', async () => {
    const anyId = '00000000-0000-4000-8000-000000000000';
    const ogg = await h.request('POST', `/v1/conversations/${anyId}/messages`, {
      key: desk.operatorKey,
      body: { mediaUrl: 'https://cdn.acme.test/voice.ogg' },
    });
    expect([ogg.status, ogg.body.error.code]).toEqual([415, 'attachment_type_not_allowed']);
    expect(ogg.body.error.allowed).toEqual(['png', 'jpg', 'jpeg', 'mp3', 'mp4', 'pdf']);
    const empty = await h.request('POST', `/v1/conversations/${anyId}/messages`, {
      key: desk.operatorKey,
      body: { body: '   ' },
    });
    expect(empty.status).toBe(400);
    const unknown = await h.request('POST', `/v1/conversations/${anyId}/messages`, {
      key: desk.operatorKey,
      body: { body: 'hi' },
    });
    expect(unknown.status).toBe(404);
  });
});

describe('malformed requests', () => {
  // The router refuses to decode these before any route runs; they answered 500.
  it('answers 400 malformed_path to a path that is not valid percent-encoding, with or without credentials', async () => {
    const asAdmin = await h.request('GET', '/v1/conversations/%E0%A4%A', { key: desk.adminKey });
    const asNobody = await h.request('GET', '/v1/visitor-sessions/%E0%A4%A/messages');
    for (const res of [asAdmin, asNobody]) {
      expect([res.status, res.body.error?.code]).toEqual([400, 'malformed_path']);
    }
  });

  it('answers 413 to a webhook form with more fields than Twilio ever sends, before checking its signature', async () => {
    const form = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`Field${i}`, 'x']));
    const res = await postSignedForm(h, '/webhooks/twilio/messages', form);
    expect([res.status, res.json?.error?.code]).toEqual([413, 'payload_too_large']);
  });
});

describe('health', () => {
  it('reports ready when Postgres and Temporal answer', async () => {
    expect((await h.request('GET', '/healthz')).status).toBe(200);
    const ready = await h.request('GET', '/readyz');
    expect(ready.body).toMatchObject({ status: 'ready', checks: { postgres: { ok: true }, temporal: { ok: true } } });
  });
});
