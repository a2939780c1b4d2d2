import { describe, expect, it } from 'vitest';
import { createDesk, eventually } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));

async function newSession(channel: 'web' | 'app' = 'web') {
  const res = await h.request('POST', '/v1/visitor-sessions', {
    key: desk.adminKey,
    body: { channel, brandId: desk.brandId, departmentId: desk.departmentId, displayName: 'Vera' },
  });
  expect(res.status).toBe(201);
  return { id: res.body.session.id as string, token: res.body.visitorToken as string };
}

describe('one inbox for every channel (F2)', () => {
  it("routes a website visitor's chat like WhatsApp's and delivers the operator's reply by long-poll, free of charge", async () => {
    const visitor = await newSession('web');
    const sent = await h.request('POST', `/v1/visitor-sessions/${visitor.id}/messages`, {
      key: visitor.token,
      body: { body: 'Do you ship to Norway?' },
    });
    expect(sent.status).toBe(201);

    const conv = await eventually(async () => {
      const list = await h.request('GET', '/v1/conversations?channel=web&status=open', { key: desk.operatorKey });
      return list.body.conversations.find((c: any) => c.id === sent.body.conversationId);
    }, 'the web conversation in the operator inbox');
    expect(conv).toMatchObject({ channel: 'web', numberId: null, operatorId: desk.operatorId, customerName: 'Vera' });
    const whatsappOnly = await h.request('GET', '/v1/conversations?channel=whatsapp', { key: desk.operatorKey });
    expect(whatsappOnly.body.conversations.map((c: any) => c.id)).not.toContain(conv.id);

    const since = new Date().toISOString();
    const poll = h.request(
      'GET',
      `/v1/visitor-sessions/${visitor.id}/messages?after=${encodeURIComponent(since)}&waitSeconds=10`,
      { key: visitor.token },
    );
    const reply = await h.request('POST', `/v1/conversations/${conv.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'Yes, in 3 days.' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ status: 'delivered', creditsCharged: 0, providerSid: null });
    const delivered = await poll;
    expect(delivered.body.messages).toMatchObject([{ direction: 'outbound', body: 'Yes, in 3 days.' }]);
    expect(h.emulator.sentMessages().some((m) => m.body === 'Yes, in 3 days.')).toBe(false);
    const wallet = await h.request('GET', '/v1/wallet', { key: desk.adminKey });
    expect(wallet.body.wallet.balance.credits).toBe(400);

    // Polling on from the cursor it was given finds nothing new (it found the same reply again, for ever).
    const cursor = encodeURIComponent(delivered.body.cursor);
    const next = await h.request('GET', `/v1/visitor-sessions/${visitor.id}/messages?after=${cursor}`, {
      key: visitor.token,
    });
    expect(next.body).toEqual({ messages: [], cursor: delivered.body.cursor });
  });

  it("refuses another session's token, an empty message, a malformed Idempotency-Key, and a session on a department that does not serve the brand", async () => {
    const [a, b] = [await newSession(), await newSession('app')];
    const wrong = await h.request('POST', `/v1/visitor-sessions/${a.id}/messages`, {
      key: b.token,
      body: { body: 'hi' },
    });
    expect(wrong.status).toBe(401);
    const empty = await h.request('POST', `/v1/visitor-sessions/${a.id}/messages`, {
      key: a.token,
      body: { body: '  ' },
    });
    expect(empty.status).toBe(400);
    const badKey = await h.request('POST', `/v1/visitor-sessions/${a.id}/messages`, {
      key: a.token,
      body: { body: 'hi' },
      headers: { 'idempotency-key': 'short' },
    });
    expect([badKey.status, badKey.body.error.code, badKey.body.error.fields[0].field]).toEqual([
      400,
      'validation_failed',
      'Idempotency-Key header',
    ]);
    const brand = await h.request('POST', '/v1/brands', { key: desk.adminKey, body: { name: 'Unlinked' } });
    const unlinked = await h.request('POST', '/v1/visitor-sessions', {
      key: desk.adminKey,
      body: { channel: 'web', brandId: brand.body.brand.id, departmentId: desk.departmentId },
    });
    expect(unlinked.status).toBe(422);
  });

  // A token in a browser outlived everything: it now expires (a day unless the admin says) and can be revoked.
  it('refuses a token once it has expired or an admin revoked it; another organisation cannot revoke it', async () => {
    const poll = (v: { id: string; token: string }) =>
      h.request('GET', `/v1/visitor-sessions/${v.id}/messages`, { key: v.token });
    const [expiring, revoked] = [await newSession(), await newSession()];
    expect([(await poll(expiring)).status, (await poll(revoked)).status]).toEqual([200, 200]);

    await h.database
      .sql`update visitor_sessions set expires_at = now() - interval '1 second' where id = ${expiring.id}`;
    expect((await poll(expiring)).status).toBe(401);

    const stranger = await createDesk(h, { points: 0 });
    const foreign = await h.request('DELETE', `/v1/visitor-sessions/${revoked.id}`, { key: stranger.adminKey });
    expect(foreign.status).toBe(404);
    const byAdmin = await h.request('DELETE', `/v1/visitor-sessions/${revoked.id}`, { key: desk.adminKey });
    expect(byAdmin.status).toBe(204);
    expect((await poll(revoked)).status).toBe(401);
  });

  it('gives a session the lifetime the admin asks for, a day by default, and refuses one over 30 days', async () => {
    const create = (ttlSeconds?: number) =>
      h.request('POST', '/v1/visitor-sessions', {
        key: desk.adminKey,
        body: { channel: 'web', brandId: desk.brandId, departmentId: desk.departmentId, ttlSeconds },
      });
    const lifetime = (res: { body: any }) =>
      Date.parse(res.body.session.expiresAt) - Date.parse(res.body.session.createdAt);
    expect(lifetime(await create())).toBe(24 * 3600 * 1000);
    expect(lifetime(await create(600))).toBe(600 * 1000);
    const tooLong = await create(31 * 24 * 3600);
    expect([tooLong.status, tooLong.body.error.fields[0].field]).toEqual([400, 'ttlSeconds']);
  });
});
