import { describe, expect, it } from 'vitest';
import { createDesk, eventually, type Desk } from './helpers/fixtures';
import { useHarness } from './helpers/use-harness';

const h = useHarness();

let n = 0;
const nextCustomer = () => `+1555400${String(++n).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function write(desk: Desk, from: string, body = 'Hello?') {
  const res = await h.emulator.playInbound({ from, to: desk.number.e164, body });
  expect(res.status).toBe(200);
}

async function conversationOf(desk: Desk, from: string) {
  return eventually(async () => {
    const list = await h.request('GET', '/v1/conversations', { key: desk.adminKey });
    return list.body.conversations.find((c: any) => c.customerAddress === from);
  }, `the conversation with ${from}`);
}

const detail = async (desk: Desk, id: string) =>
  (await h.request('GET', `/v1/conversations/${id}`, { key: desk.adminKey })).body;

async function untilStatus(desk: Desk, id: string, status: string, timeoutMs = 15_000) {
  return eventually(
    async () => {
      const d = await detail(desk, id);
      return d.conversation.status === status && d;
    },
    `conversation ${id} to be ${status}`,
    timeoutMs,
  );
}

const settings = (desk: Desk, body: Record<string, unknown>) =>
  h.request('PUT', '/v1/whatsapp/settings', { key: desk.adminKey, body });

describe('unattended auto-close (F12)', () => {
  it('closes an unattended chat after the limit and sends the closing notice, charged like any message', async () => {
    const desk = await createDesk(h, { points: 1 });
    expect(
      (
        await settings(desk, {
          chatCloseLimitSeconds: 2,
          closingNotice: 'We are closing this chat; write again any time.',
        })
      ).status,
    ).toBe(200);
    const from = nextCustomer();
    await write(desk, from);
    const conv = await conversationOf(desk, from);
    const closed = await untilStatus(desk, conv.id, 'closed');
    expect(closed.conversation.closeReason).toBe('unattended_timeout');
    expect(Date.parse(closed.conversation.closedAt) - Date.parse(conv.lastInboundAt)).toBeGreaterThanOrEqual(2000);
    expect(closed.messages.at(-1)).toMatchObject({
      direction: 'outbound',
      body: 'We are closing this chat; write again any time.',
      creditsCharged: 1,
    });
    expect(h.emulator.sentMessages().some((m) => m.to === `whatsapp:${from}`)).toBe(true);
  });

  it('stops the timer once an operator answers', async () => {
    const desk = await createDesk(h);
    await settings(desk, { chatCloseLimitSeconds: 2 });
    const from = nextCustomer();
    await write(desk, from);
    const conv = await untilStatus(desk, (await conversationOf(desk, from)).id, 'open');
    const reply = await h.request('POST', `/v1/conversations/${conv.conversation.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'On it!' },
    });
    expect(reply.status).toBe(201);
    await sleep(3000);
    expect((await detail(desk, conv.conversation.id)).conversation.status).toBe('open');
  });

  it('records the closing notice as skipped when there are no points, and still closes', async () => {
    const desk = await createDesk(h, { points: 0 });
    await settings(desk, { chatCloseLimitSeconds: 1, closingNotice: 'Closing now.' });
    const from = nextCustomer();
    await write(desk, from);
    const closed = await untilStatus(desk, (await conversationOf(desk, from)).id, 'closed');
    expect(closed.messages.at(-1)).toMatchObject({
      body: 'Closing now.',
      status: 'failed',
      errorCode: 'insufficient_points',
      creditsCharged: 0,
    });
    expect(h.emulator.sentMessages().some((m) => m.to === `whatsapp:${from}`)).toBe(false);
  });

  it('fires on time even when the worker was down when it came due', async () => {
    const desk = await createDesk(h);
    await settings(desk, { chatCloseLimitSeconds: 2 });
    const from = nextCustomer();
    await write(desk, from);
    const conv = await conversationOf(desk, from);
    await h.stopWorker();
    await sleep(3000);
    expect((await detail(desk, conv.id)).conversation.status).not.toBe('closed');
    await h.startWorker();
    const closed = await untilStatus(desk, conv.id, 'closed');
    expect(closed.conversation.closeReason).toBe('unattended_timeout');
  });
});

describe('idle close', () => {
  it("closes an answered chat that went quiet as inactive, with the number's own limit", async () => {
    const desk = await createDesk(h);
    await settings(desk, { idleCloseSeconds: 3600 });
    const override = await h.request('PATCH', `/v1/whatsapp/numbers/${desk.number.id}/limits`, {
      key: desk.adminKey,
      body: { idleCloseSeconds: 2 },
    });
    expect(override.status).toBe(200);
    const from = nextCustomer();
    await write(desk, from);
    const open = await untilStatus(desk, (await conversationOf(desk, from)).id, 'open');
    await h.request('POST', `/v1/conversations/${open.conversation.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'Done, anything else?' },
    });
    const closed = await untilStatus(desk, open.conversation.id, 'closed');
    expect(closed.conversation.closeReason).toBe('inactive');
  });
});

describe('settings refusals', () => {
  it('states the limits when a value is out of range', async () => {
    const desk = await createDesk(h, { points: 0 });
    const res = await settings(desk, { chatCloseLimitSeconds: 0, idleCloseSeconds: 99_999_999 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('chatCloseLimitSeconds: must be between 1 and 604800 seconds');
    expect(res.body.error.message).toContain('idleCloseSeconds: must be between 1 and 2592000 seconds');
  });

  it('refuses web-chat features on WhatsApp with 422 and the reason (F16)', async () => {
    const desk = await createDesk(h, { points: 0 });
    const res = await settings(desk, { preChatForm: true, feedbackForm: true });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'not_available_on_whatsapp',
      fields: ['preChatForm', 'feedbackForm'],
    });
    const now = await h.request('GET', '/v1/whatsapp/settings', { key: desk.adminKey });
    expect(now.body.settings).toMatchObject({ preChatForm: false, interactiveMessages: false, feedbackForm: false });
  });
});
