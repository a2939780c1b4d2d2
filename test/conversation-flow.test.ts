import { describe, expect, inject, it } from 'vitest';
import { CONNECTION_OVERRIDES } from '../src/providers/twilio/twilio-webhook-urls';
import { createDesk, eventually } from './helpers/fixtures';
import { recordHistoryIfAsked } from './helpers/record-history';
import { useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h));

const customer = (n: number) => `+1555000${String(n).padStart(4, '0')}`;

async function conversationOf(key: string, customerAddress: string, status?: string) {
  const list = await h.request('GET', `/v1/conversations${status ? `?status=${status}` : ''}`, { key });
  return (list.body.conversations as any[]).find((c) => c.customerAddress === customerAddress);
}

async function openConversationWith(from: string, body = 'Where is my order?') {
  const played = await h.emulator.playInbound({ from, to: desk.number.e164, body, profileName: 'Carla' });
  expect(played.status).toBe(200);
  return eventually(() => conversationOf(desk.operatorKey, from, 'open'), `an open conversation with ${from}`);
}

describe('the WhatsApp conversation path', () => {
  it("routes a customer's message to the available operator of the number's department", async () => {
    const conv = await openConversationWith(customer(1), 'My parcel is late');
    expect(conv).toMatchObject({
      operatorId: desk.operatorId,
      departmentId: desk.departmentId,
      channel: 'whatsapp',
      customerName: 'Carla',
    });
    const detail = await h.request('GET', `/v1/conversations/${conv.id}`, { key: desk.operatorKey });
    expect(detail.body.messages).toMatchObject([
      { direction: 'inbound', body: 'My parcel is late', status: 'received' },
    ]);
  });

  it("delivers an operator's reply through Twilio with the exact form fields, then follows its delivery", async () => {
    const conv = await openConversationWith(customer(2));
    const reply = await h.request('POST', `/v1/conversations/${conv.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'It ships today' },
    });
    await h.request('POST', `/v1/conversations/${conv.id}/close`, { key: desk.operatorKey });
    recordHistoryIfAsked(inject('temporalAddress'), conv.workflowId, 'conversation-reply-then-close');
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({
      direction: 'outbound',
      body: 'It ships today',
      operatorId: desk.operatorId,
    });
    const sent = h.emulator.sentMessages().find((m) => m.sid === reply.body.message.providerSid);
    expect(sent?.form).toEqual({
      To: `whatsapp:${customer(2)}`,
      From: `whatsapp:${desk.number.e164}`,
      Body: 'It ships today',
      // With the connection overrides that make Twilio deliver a status again on any failure.
      StatusCallback: `${h.apiUrl}/webhooks/twilio/status#${CONNECTION_OVERRIDES}`,
    });
    await eventually(async () => {
      const detail = await h.request('GET', `/v1/conversations/${conv.id}`, { key: desk.operatorKey });
      return detail.body.messages.find((m: any) => m.direction === 'outbound' && m.status === 'delivered');
    }, 'the delivered status callback');
  });

  it('never moves a delivery status backwards when callbacks arrive out of order', async () => {
    const conv = await openConversationWith(customer(3));
    const reply = await h.request('POST', `/v1/conversations/${conv.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'Done' },
    });
    const sid = reply.body.message.providerSid as string;
    const statusOf = async () => {
      const detail = await h.request('GET', `/v1/conversations/${conv.id}`, { key: desk.operatorKey });
      return detail.body.messages.find((m: any) => m.providerSid === sid).status as string;
    };
    await eventually(async () => (await statusOf()) === 'delivered', 'delivered');
    await h.emulator.pushStatus(sid, 'read');
    await h.emulator.pushStatus(sid, 'sent');
    await h.emulator.pushStatus(sid, 'delivered');
    expect(await statusOf()).toBe('read');
  });

  it('stores a webhook replayed with the same MessageSid once', async () => {
    const from = customer(4);
    const first = await h.emulator.playInbound({ from, to: desk.number.e164, body: 'Once' });
    const again = await h.emulator.playInbound({
      from,
      to: desk.number.e164,
      body: 'Once',
      messageSid: first.messageSid,
    });
    expect([first.status, again.status]).toEqual([200, 200]);
    const conv = await eventually(() => conversationOf(desk.adminKey, from), 'the conversation');
    const detail = await h.request('GET', `/v1/conversations/${conv.id}`, { key: desk.adminKey });
    expect(detail.body.messages.filter((m: any) => m.providerSid === first.messageSid)).toHaveLength(1);
  });

  it('sends a reply retried with its Idempotency-Key once, and refuses the key on a different reply with 422', async () => {
    const conv = await openConversationWith(customer(6));
    const send = (text: string) =>
      h.request('POST', `/v1/conversations/${conv.id}/messages`, {
        key: desk.operatorKey,
        body: { body: text },
        headers: { 'idempotency-key': 'reply-key-0001' },
      });
    const first = await send('Your refund is on its way');
    const retried = await send('Your refund is on its way');
    const reused = await send('Something else entirely');
    expect([first.status, retried.status, reused.status]).toEqual([201, 201, 422]);
    expect(retried.body.message.id).toBe(first.body.message.id);
    expect(reused.body.error).toMatchObject({ code: 'idempotency_key_reused', messageId: first.body.message.id });
    const detail = await h.request('GET', `/v1/conversations/${conv.id}`, { key: desk.operatorKey });
    expect(detail.body.messages.filter((m: any) => m.direction === 'outbound').map((m: any) => m.body)).toEqual([
      'Your refund is on its way',
    ]);
    expect(h.emulator.sentMessages().filter((m) => m.form.To === `whatsapp:${customer(6)}`)).toHaveLength(1);
  });

  it('refuses replies once closed, and the next customer message opens a new conversation', async () => {
    const from = customer(5);
    const conv = await openConversationWith(from);
    const closed = await h.request('POST', `/v1/conversations/${conv.id}/close`, { key: desk.operatorKey });
    expect(closed.body.conversation).toMatchObject({ status: 'closed', closeReason: 'operator' });
    recordHistoryIfAsked(
      inject('temporalAddress'),
      conv.workflowId,
      'conversation-closed-by-operator-after-acceptance',
    );
    const late = await h.request('POST', `/v1/conversations/${conv.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'Hello?' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('conversation_closed');
    const next = await openConversationWith(from, 'Me again');
    expect(next.id).not.toBe(conv.id);
    expect(next.seq).toBe(conv.seq + 1);
  });

  it("hides one organisation's conversations from another's keys", async () => {
    const conv = await openConversationWith(customer(6));
    const other = await createDesk(h);
    for (const [method, path] of [
      ['GET', `/v1/conversations/${conv.id}`],
      ['POST', `/v1/conversations/${conv.id}/close`],
    ] as const) {
      const res = await h.request(method, path, { key: other.adminKey });
      expect(res.status).toBe(404);
    }
    const reply = await h.request('POST', `/v1/conversations/${conv.id}/messages`, {
      key: other.operatorKey,
      body: { body: 'hi' },
    });
    expect(reply.status).toBe(404);
    const list = await h.request('GET', '/v1/conversations', { key: other.adminKey });
    expect(list.body.conversations.map((c: any) => c.id)).not.toContain(conv.id);
  });

  it('keeps a conversation going across a worker restart', async () => {
    const from = customer(7);
    const conv = await openConversationWith(from, 'Before the restart');
    await h.stopWorker();
    const during = await h.emulator.playInbound({ from, to: desk.number.e164, body: 'While the worker is down' });
    expect(during.status).toBe(200);
    await h.startWorker();
    const reply = await h.request('POST', `/v1/conversations/${conv.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'Back again' },
    });
    expect(reply.status).toBe(201);
    const detail = await h.request('GET', `/v1/conversations/${conv.id}`, { key: desk.operatorKey });
    expect(detail.body.messages.map((m: any) => m.body)).toEqual([
      'Before the restart',
      'While the worker is down',
      'Back again',
    ]);
  });
});
