import { describe, expect, it } from 'vitest';
import { MAX_STREAMS_PER_KEY } from '../src/api/routes/event-routes';
import { pruneEvents } from '../src/db/queries/event-queries';
import { buyPoints, createDesk, createOrg, eventually, openChat } from './helpers/fixtures';
import { openEventStream } from './helpers/event-stream';
import { useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));

/** The organisation's last event once the log has stopped growing (chats still being assigned, say). */
async function settledLog(orgId: string): Promise<string> {
  const last = async () =>
    (await h.database.sql`select id from events where org_id = ${orgId} order by txid desc, id desc limit 1`)[0]!.id;
  let seen = await last();
  for (;;) {
    await new Promise((r) => setTimeout(r, 1_500));
    const now = await last();
    if (now === seen) return `evt_${now}`;
    seen = now;
  }
}

const customerWrites = (from: string, body = 'Hello?') => h.emulator.playInbound({ from, to: desk.number.e164, body });

describe('live events for desks (GET /v1/events)', () => {
  it("streams a new chat as it happens: created, queued, the customer's message, assigned, in that order", async () => {
    const stream = await openEventStream(h, desk.operatorKey);
    expect(stream.status).toBe(200);
    const from = '+15552220001';
    await customerWrites(from);
    const assigned = await stream.until('the assignment', (e) => e.type === 'conversation.assigned');
    const conversationId = assigned.payload.data.conversationId;
    const ofChat = stream.events.filter((e) => e.payload.data.conversationId === conversationId);
    expect(ofChat.map((e) => e.type)).toEqual([
      'conversation.created',
      'conversation.queued',
      'message.created',
      'conversation.assigned',
    ]);
    expect(ofChat[0]!.payload.data.conversation).toMatchObject({ customerAddress: from, channel: 'whatsapp' });
    expect(ofChat[2]!.payload.data.message).toMatchObject({ direction: 'inbound', body: 'Hello?' });
    expect(assigned.payload.data.operatorId).toBe(desk.operatorId);
    expect(new Set(ofChat.map((e) => e.payload.id)).size).toBe(4);
    await stream.close();
  });

  it("tells of a reply's delivery and of the close", async () => {
    const chat = await openChat(h, desk);
    const stream = await openEventStream(h, desk.operatorKey);
    const reply = await h.request('POST', `/v1/conversations/${chat.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'On its way' },
    });
    const messageId = reply.body.message.id;
    await stream.until(
      'delivered',
      (e) => e.type === 'message.status_changed' && e.payload.data.status === 'delivered',
    );
    await h.request('POST', `/v1/conversations/${chat.id}/close`, { key: desk.operatorKey });
    await stream.until('the close', (e) => e.type === 'conversation.closed');
    const ofReply = stream.events.filter((e) => (e.payload.data.messageId ?? e.payload.data.message?.id) === messageId);
    const steps = ofReply.map((e) => e.payload.data.status ?? e.type);
    // Twilio's callbacks may come out of order: a step overtaken by a later one is never told (nor applied).
    expect(steps[0]).toBe('message.created');
    expect(steps.slice(1)).toEqual(['queued', 'sent', 'delivered'].filter((s) => steps.includes(s)));
    expect(steps.slice(1)).toEqual(expect.arrayContaining(['queued', 'delivered']));
    expect(stream.events.at(-1)!.payload.data).toEqual({ conversationId: chat.id, reason: 'operator' });
    await stream.close();
  });

  it("shows an operator their departments' chats only, and an admin the wallet too", async () => {
    const stranger = await createOrg(h);
    const [theirs, mine] = [await openEventStream(h, stranger.operatorKey), await openEventStream(h, desk.adminKey)];
    await customerWrites('+15552220003');
    await mine.until('the new chat', (e) => e.type === 'message.created');
    await buyPoints(h, desk.adminKey, 1);
    await mine.until('the purchase', (e) => e.type === 'wallet.refilled' && e.payload.data.source === 'purchase');
    const operator = await openEventStream(h, desk.operatorKey, { after: '0.0' });
    await operator.until('the replayed chat', (e) => e.type === 'message.created');
    expect(operator.events.some((e) => e.type.startsWith('wallet.'))).toBe(false);
    expect(theirs.events).toEqual([]);
    await Promise.all([theirs.close(), mine.close(), operator.close()]);
  });

  it('sends a heartbeat on an idle stream, refuses a bad Last-Event-ID and more than the streams a key may hold', async () => {
    const idle = await openEventStream(h, desk.adminKey);
    await eventually(() => idle.comments.includes('heartbeat'), 'a heartbeat');
    const bad = await openEventStream(h, desk.adminKey, { lastEventId: 'evt_12' });
    expect([bad.status, bad.body.error.code, bad.body.error.fields[0].field]).toEqual([
      400,
      'validation_failed',
      'Last-Event-ID header',
    ]);
    const more = [];
    for (let i = 1; i < MAX_STREAMS_PER_KEY; i++) more.push(await openEventStream(h, desk.adminKey));
    const refused = await openEventStream(h, desk.adminKey);
    expect([refused.status, refused.body.error.code]).toEqual([429, 'too_many_requests']);
    await Promise.all([idle, ...more].map((s) => s.close()));
    const afterClosing = await eventually(async () => {
      const s = await openEventStream(h, desk.adminKey);
      return s.status === 200 ? s : (await s.close(), undefined);
    }, 'a stream once the others closed');
    await afterClosing.close();
    const anonymous = await fetch(`${h.apiUrl}/v1/events`);
    expect(anonymous.status).toBe(401);
  });
});

describe('a desk that disconnects during traffic', () => {
  // A minute away while customers keep writing: resuming with Last-Event-ID gives exactly what was missed.
  it('gets every event exactly once and in order when it reconnects with Last-Event-ID', async () => {
    const steady = await openEventStream(h, desk.adminKey);
    const leaving = await openEventStream(h, desk.adminKey);
    let writing = true;
    let sent = 0;
    const traffic = (async () => {
      while (writing) {
        await customerWrites(`+1555333${String(sent % 40).padStart(4, '0')}`, `message ${sent++}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    await leaving.until('some traffic', (e) => e.type === 'message.created');
    await leaving.close();
    const lastSeen = leaving.events.at(-1)!.position;
    await new Promise((r) => setTimeout(r, 60_000));
    const back = await openEventStream(h, desk.adminKey, { lastEventId: lastSeen });
    await new Promise((r) => setTimeout(r, 2_000));
    writing = false;
    await traffic;
    const last = await settledLog(desk.orgId);
    await steady.until('the last event', (e) => e.payload.id === last, 30_000);
    await back.until('the last event', (e) => e.payload.id === last, 30_000);
    const ids = (events: { payload: { id: string } }[]) => events.map((e) => e.payload.id);
    const resumed = [...ids(leaving.events), ...ids(back.events)];
    expect(sent).toBeGreaterThan(100);
    expect(new Set(resumed).size).toBe(resumed.length);
    expect(resumed).toEqual(ids(steady.events).slice(0, resumed.length));
    expect(resumed.length).toBe(ids(steady.events).length);
    await Promise.all([steady.close(), back.close()]);
  }, 120_000);
});

describe('event retention', () => {
  it('forgets events older than the retention period and keeps the rest', async () => {
    const sql = h.database.sql;
    const [old] = await sql`insert into events (org_id, type, data, created_at)
      values (${desk.orgId}, 'wallet.low', '{}', now() - interval '8 days') returning id`;
    const [recent] = await sql`insert into events (org_id, type, data, created_at)
      values (${desk.orgId}, 'wallet.low', '{}', now() - interval '6 days') returning id`;
    expect(await pruneEvents(h.database.db, new Date(Date.now() - 7 * 86_400_000))).toBeGreaterThanOrEqual(1);
    const kept = await sql`select id from events where id in (${old!.id}, ${recent!.id})`;
    expect(kept.map((r) => r.id)).toEqual([recent!.id]);
  });
});
