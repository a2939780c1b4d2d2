import { describe, expect, it } from 'vitest';
import { createDesk, eventually, type Desk } from './helpers/fixtures';
import { useHarness } from './helpers/use-harness';

const h = useHarness();

let n = 0;
const nextCustomer = () => `+1555500${String(++n).padStart(4, '0')}`;

async function write(desk: Desk, from: string, body = 'Hello?') {
  expect((await h.emulator.playInbound({ from, to: desk.number.e164, body })).status).toBe(200);
}

const detail = async (desk: Desk, id: string) =>
  (await h.request('GET', `/v1/conversations/${id}`, { key: desk.adminKey })).body;

async function conversationOf(desk: Desk, from: string) {
  return eventually(async () => {
    const list = await h.request('GET', '/v1/conversations', { key: desk.adminKey });
    return list.body.conversations.find((c: any) => c.customerAddress === from);
  }, `the conversation with ${from}`);
}

async function until(desk: Desk, id: string, check: (d: any) => boolean, what: string) {
  return eventually(async () => {
    const d = await detail(desk, id);
    return check(d) && d;
  }, what);
}

/** The customer's chat once it is open (assigned), as its detail page shows it. */
const openChat = async (desk: Desk, from: string, what: string) =>
  until(desk, (await conversationOf(desk, from)).id, (d) => d.conversation.status === 'open', what);

const presence = (desk: Desk, operatorId: string, status: string) =>
  h.request('PUT', `/v1/operators/${operatorId}/presence`, { key: desk.adminKey, body: { status } });

async function addOperator(
  desk: Desk,
  name: string,
  opts: { maxConcurrentChats?: number; departmentId?: string } = {},
) {
  const op = await h.request('POST', '/v1/operators', {
    key: desk.adminKey,
    body: {
      name,
      email: `${name.toLowerCase()}.${n}@acme.test`,
      departmentIds: [opts.departmentId ?? desk.departmentId],
      maxConcurrentChats: opts.maxConcurrentChats ?? 10,
    },
  });
  expect(op.status).toBe(201);
  return { id: op.body.operator.id as string, key: op.body.apiKey.key as string };
}

describe('routing and the queue (F10)', () => {
  it('waits in the department queue, shows its position, and is assigned when an operator becomes available', async () => {
    const desk = await createDesk(h, { operatorPresence: 'offline' });
    const [a, b] = [nextCustomer(), nextCustomer()];
    await write(desk, a);
    const first = await conversationOf(desk, a);
    await write(desk, b);
    const second = await conversationOf(desk, b);
    const queued = await detail(desk, second.id);
    expect(queued.conversation.status).toBe('waiting');
    expect(queued.queue).toMatchObject({ position: 2 });
    expect((await detail(desk, first.id)).queue).toMatchObject({ position: 1 });

    expect((await presence(desk, desk.operatorId, 'available')).status).toBe(200);
    const assignedFirst = await until(
      desk,
      first.id,
      (d) => d.conversation.status === 'open',
      'the first to be assigned',
    );
    const assignedSecond = await until(
      desk,
      second.id,
      (d) => d.conversation.status === 'open',
      'the second to be assigned',
    );
    expect(assignedFirst.conversation.operatorId).toBe(desk.operatorId);
    expect(Date.parse(assignedFirst.conversation.assignedAt)).toBeLessThanOrEqual(
      Date.parse(assignedSecond.conversation.assignedAt),
    );
  });

  it('hands a freed slot to the oldest waiting chat', async () => {
    const desk = await createDesk(h, { maxConcurrentChats: 1 });
    const [a, b, c] = [nextCustomer(), nextCustomer(), nextCustomer()];
    await write(desk, a);
    const first = await openChat(desk, a, 'the first chat to open');
    await write(desk, b);
    const second = await conversationOf(desk, b);
    await write(desk, c);
    const third = await conversationOf(desk, c);
    expect((await detail(desk, third.id)).queue.position).toBe(2);

    await h.request('POST', `/v1/conversations/${first.conversation.id}/close`, { key: desk.operatorKey });
    await until(desk, second.id, (d) => d.conversation.status === 'open', 'the second chat to take the freed slot');
    expect((await detail(desk, third.id)).conversation.status).toBe('waiting');
    expect((await detail(desk, third.id)).queue.position).toBe(1);
  });

  it('spreads chats over operators: fewest open chats, then longest since their last one', async () => {
    const desk = await createDesk(h);
    const other = await addOperator(desk, 'Omar');
    await presence(desk, other.id, 'available');
    const owners: string[] = [];
    for (let i = 0; i < 4; i++) {
      const from = nextCustomer();
      await write(desk, from);
      const open = await openChat(desk, from, 'assignment');
      owners.push(open.conversation.operatorId);
    }
    expect(new Set(owners).size).toBe(2);
    expect(owners[0]).not.toBe(owners[1]);
    expect(owners[2]).not.toBe(owners[3]);
  });

  it('transfers a chat to a named operator or back to a department queue', async () => {
    const desk = await createDesk(h);
    const other = await addOperator(desk, 'Tess');
    const from = nextCustomer();
    await write(desk, from);
    const conv = await openChat(desk, from, 'assignment');
    const toOperator = await h.request('POST', `/v1/conversations/${conv.conversation.id}/transfer`, {
      key: desk.operatorKey,
      body: { operatorId: other.id },
    });
    expect(toOperator.status).toBe(200);
    expect(toOperator.body.conversation).toMatchObject({ status: 'open', operatorId: other.id });

    const toDepartment = await h.request('POST', `/v1/conversations/${conv.conversation.id}/transfer`, {
      key: desk.adminKey,
      body: { departmentId: desk.departmentId },
    });
    expect(toDepartment.status).toBe(200);
    await until(desk, conv.conversation.id, (d) => d.conversation.status === 'open', 'reassignment from the queue');

    const both = await h.request('POST', `/v1/conversations/${conv.conversation.id}/transfer`, {
      key: desk.adminKey,
      body: { operatorId: other.id, departmentId: desk.departmentId },
    });
    expect(both.status).toBe(400);
    const stranger = await createDesk(h, { points: 0 });
    const foreign = await h.request('POST', `/v1/conversations/${conv.conversation.id}/transfer`, {
      key: desk.adminKey,
      body: { operatorId: stranger.operatorId },
    });
    expect(foreign.status).toBe(404);
  });

  it("gives an operator's unanswered chats back to the queue when they go offline, and keeps answered ones", async () => {
    const desk = await createDesk(h, { maxConcurrentChats: 5 });
    const [a, b] = [nextCustomer(), nextCustomer()];
    await write(desk, a);
    const answered = await openChat(desk, a, 'assignment');
    await write(desk, b);
    const unanswered = await openChat(desk, b, 'assignment');
    await h.request('POST', `/v1/conversations/${answered.conversation.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'Hi!' },
    });

    expect((await presence(desk, desk.operatorId, 'offline')).status).toBe(200);
    await until(
      desk,
      unanswered.conversation.id,
      (d) => d.conversation.status === 'waiting' && d.conversation.operatorId === null,
      'the hand-back',
    );
    expect((await detail(desk, answered.conversation.id)).conversation).toMatchObject({
      status: 'open',
      operatorId: desk.operatorId,
    });
  });
});

describe('returning customers', () => {
  it('opens a new conversation that links the earlier ones', async () => {
    const desk = await createDesk(h);
    const from = nextCustomer();
    await write(desk, from, 'First visit');
    const first = await openChat(desk, from, 'assignment');
    await h.request('POST', `/v1/conversations/${first.conversation.id}/close`, { key: desk.operatorKey });
    await write(desk, from, 'Back again');
    const second = await eventually(async () => {
      const list = await h.request('GET', '/v1/conversations?status=open', { key: desk.adminKey });
      return list.body.conversations.find((c: any) => c.customerAddress === from && c.id !== first.conversation.id);
    }, 'the second conversation');
    const d = await detail(desk, second.id);
    expect(d.earlierConversations).toMatchObject([
      { id: first.conversation.id, seq: 1, status: 'closed', closeReason: 'operator' },
    ]);
  });
});
