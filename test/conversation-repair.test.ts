import { describe, expect, it } from 'vitest';
import { recordInbound, whatsappRoute } from '../src/db/queries/inbound-queries';
import { numberOfOrg } from '../src/db/queries/number-queries';
import { createLogger } from '../src/logger';
import { repairConversations } from '../worker/conversation-repair';
import { createDesk, eventually, openChat } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';

// A conversation row whose workflow is not running: its start was lost (Temporal down as the webhook
// came, and Twilio did not deliver again) or someone terminated it by hand.
const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));
const repair = () =>
  repairConversations({
    db: h.database.db,
    temporal: h.temporal,
    taskQueue: h.taskQueue,
    logger: createLogger('silent'),
  });

async function workflowIdOf(conversationId: string): Promise<string> {
  const [row] = await h.database.sql`select workflow_id from conversations where id = ${conversationId}`;
  return row!.workflow_id as string;
}

const conversation = async (id: string) =>
  (await h.request('GET', `/v1/conversations/${id}`, { key: desk.adminKey })).body.conversation;

describe('a conversation whose workflow is not running', () => {
  it('restarts on an operator reply, keeps its operator, and sends the reply', async () => {
    const chat = await openChat(h, desk);
    const workflowId = await workflowIdOf(chat.id);
    await h.temporal.workflow.getHandle(workflowId).terminate('lost in an outage');
    const res = await h.request('POST', `/v1/conversations/${chat.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'still here' },
    });
    expect(res.status).toBe(201);
    await eventually(() => h.emulator.sentMessages().some((m) => m.body === 'still here'), 'the reply to be sent');
    expect(await conversation(chat.id)).toMatchObject({ status: 'open', operatorId: desk.operatorId });
    expect((await h.temporal.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
  });

  it('is started by the repair when its first message was stored but never signalled, and reaches an operator', async () => {
    const number = await numberOfOrg(h.database.db, desk.orgId, desk.number.id);
    const customerAddress = '+15557770001';
    const stored = await recordInbound(h.database.db, whatsappRoute(number!), {
      providerSid: `SM${'e5'.repeat(16)}`,
      customerAddress,
      body: 'Anyone there?',
      attachments: [],
      receivedAt: new Date(),
    });
    const { id } = stored.conversation;
    expect(await repair()).not.toContain(id); // too young: its webhook may still be signalling
    await h.database.sql`update conversations set created_at = now() - interval '2 minutes' where id = ${id}`;

    expect(await repair()).toContain(id);
    await eventually(async () => (await conversation(id)).status === 'open', 'the chat to reach the operator');
    expect(await conversation(id)).toMatchObject({ operatorId: desk.operatorId, customerAddress });
    expect(await repair()).not.toContain(id);
  });
});
