import { describe, expect, it } from 'vitest';
import type { InboundNotice } from '../src/contracts/conversation-contract';
import { degradedApp } from './helpers/degraded-app';
import { createDesk, eventually, inboundForm, openChat, postSignedForm } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 2 }));

const unavailable = (res: { status: number; body: any; headers: Headers }, dependency: string) => {
  expect([res.status, res.body.error?.code, res.body.error?.dependency]).toEqual([
    503,
    'temporarily_unavailable',
    dependency,
  ]);
  expect(res.headers.get('retry-after')).toBe('5');
};

describe('while Temporal is unreachable', () => {
  it('answers 503 with Retry-After to a close, a transfer and a reply, and the conversation stays as it was', async () => {
    const conversation = await openChat(h, desk);
    const { app, close } = await degradedApp(h, 'temporal');
    const path = `/v1/conversations/${conversation.id}`;
    unavailable(await app.request('POST', `${path}/close`, { key: desk.operatorKey }), 'temporal');
    const transfer = { departmentId: desk.departmentId };
    unavailable(await app.request('POST', `${path}/transfer`, { key: desk.adminKey, body: transfer }), 'temporal');
    unavailable(
      await app.request('POST', `${path}/messages`, { key: desk.operatorKey, body: { body: 'Hi' } }),
      'temporal',
    );
    await close();
    const detail = await h.request('GET', path, { key: desk.adminKey });
    expect(detail.body.conversation).toMatchObject({ status: 'open', operatorId: desk.operatorId });
    expect(detail.body.messages.filter((m: any) => m.direction === 'outbound')).toEqual([]);
  });

  it("leaves an operator's presence unchanged when their unanswered chats cannot be handed back", async () => {
    await openChat(h, desk);
    const { app, close } = await degradedApp(h, 'temporal');
    const path = `/v1/operators/${desk.operatorId}/presence`;
    unavailable(await app.request('PUT', path, { key: desk.operatorKey, body: { status: 'offline' } }), 'temporal');
    await close();
    const operators = await h.request('GET', '/v1/operators', { key: desk.adminKey });
    expect(operators.body.operators.find((o: any) => o.id === desk.operatorId).presence).toBe('available');
  });

  it("keeps a visitor's message once: the retry with its Idempotency-Key after the 503 is the same message", async () => {
    const created = await h.request('POST', '/v1/visitor-sessions', {
      key: desk.adminKey,
      body: { channel: 'web', brandId: desk.brandId, departmentId: desk.departmentId },
    });
    const { session, visitorToken } = created.body;
    const post = {
      key: visitorToken,
      body: { body: 'Is anyone there?' },
      headers: { 'idempotency-key': 'visitor-msg-0001' },
    };
    const { app, close } = await degradedApp(h, 'temporal');
    unavailable(await app.request('POST', `/v1/visitor-sessions/${session.id}/messages`, post), 'temporal');
    await close();
    const retried = await h.request('POST', `/v1/visitor-sessions/${session.id}/messages`, post);
    const again = await h.request('POST', `/v1/visitor-sessions/${session.id}/messages`, post);
    expect([retried.status, again.status, again.body.messageId]).toEqual([200, 200, retried.body.messageId]);
    const stored = await h.database.sql`select id from messages where conversation_id = ${retried.body.conversationId}`;
    expect(stored).toHaveLength(1);
  });
});

describe('while PostgreSQL is unreachable', () => {
  it('answers 503 with Retry-After, never 500, to reads and writes', async () => {
    const { app, close } = await degradedApp(h, 'database');
    unavailable(await app.request('GET', '/v1/conversations', { key: desk.adminKey }), 'database');
    unavailable(await app.request('PUT', '/v1/whatsapp/settings', { key: desk.adminKey, body: {} }), 'database');
    await close();
  });

  // Twilio's tries come back to back; a restart answered 503 at once outlasts all three and the message is lost.
  it('stores a message that arrives as PostgreSQL restarts, answering Twilio once it is back instead of 503', async () => {
    const { app, close, bringDatabaseBack } = await degradedApp(h, 'database');
    const form = inboundForm(desk, { From: 'whatsapp:+15558200002' });
    const delivery = postSignedForm(app, '/webhooks/twilio/messages', form);
    await new Promise((r) => setTimeout(r, 1500));
    await bringDatabaseBack();
    expect((await delivery).status).toBe(200);
    await eventually(async () => {
      const list = await h.request('GET', '/v1/conversations', { key: desk.adminKey });
      return list.body.conversations.find((c: any) => c.customerAddress === '+15558200002');
    }, 'the conversation');
    await close();
  });

  it('answers a webhook 503 when PostgreSQL stays down longer than a Twilio try waits', async () => {
    const { app, close } = await degradedApp(h, 'database');
    const form = inboundForm(desk, { From: 'whatsapp:+15558200003' });
    const res = await postSignedForm(app, '/webhooks/twilio/messages', form);
    expect([res.status, res.json?.error?.code]).toEqual([503, 'temporarily_unavailable']);
    await close();
  });
});

describe('a webhook Twilio delivers again', () => {
  it('moves no deadline: its notice carries the time the message first arrived', async () => {
    const form = inboundForm(desk, { From: 'whatsapp:+15558200001' });
    expect((await postSignedForm(h, '/webhooks/twilio/messages', form)).status).toBe(200);
    const conversation = await eventually(async () => {
      const list = await h.request('GET', '/v1/conversations', { key: desk.adminKey });
      return list.body.conversations.find((c: any) => c.customerAddress === '+15558200001');
    }, 'the conversation');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await postSignedForm(h, '/webhooks/twilio/messages', form)).status).toBe(200);
    const notices = await eventually(async () => {
      const found = await inboundNotices(conversation.workflowId);
      return found.length === 2 && found;
    }, 'both deliveries to reach the workflow');
    expect(notices[1]).toEqual(notices[0]);
    const detail = await h.request('GET', `/v1/conversations/${conversation.id}`, { key: desk.adminKey });
    expect(new Date(detail.body.conversation.lastInboundAt).toISOString()).toBe(notices[0]!.receivedAt);
  });
});

/** The `inbound` signals in the workflow's history, decoded: what the workflow was told, in order. */
async function inboundNotices(workflowId: string): Promise<InboundNotice[]> {
  const history = await h.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionSignaledEventAttributes)
    .filter((a) => a?.signalName === 'inbound')
    .map((a) => JSON.parse(Buffer.from(a!.input!.payloads![0]!.data!).toString()) as InboundNotice);
}
