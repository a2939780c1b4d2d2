import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createConversationActivities } from '../activities/conversation-activities';
import { lockCustomer, recordInbound, whatsappRoute } from '../src/db/queries/inbound-queries';
import { numberOfOrg } from '../src/db/queries/number-queries';
import { createDesk, eventually, openChat, type Desk } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';

// The two orders in which a customer's message and a close can meet, each forced deterministically
// on the real database: the close and the storing of a message take the same per-customer lock.
const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));
const activities = () => createConversationActivities({ db: h.database.db });

async function storeMessage(d: Desk, customerAddress: string, sid: string, receivedAt = new Date()) {
  const number = await numberOfOrg(h.database.db, d.orgId, d.number.id);
  const message = {
    providerSid: sid,
    customerAddress,
    body: 'One more thing',
    attachments: [],
    receivedAt,
  };
  return recordInbound(h.database.db, whatsappRoute(number!), message);
}

describe('a message and a close that meet', () => {
  it('keeps the chat open when the message was stored first: the close sees it and refuses', async () => {
    const chat = await openChat(h, desk);
    await storeMessage(desk, chat.customerAddress, `SM${'d4'.repeat(16)}`);
    const closing = { conversationId: chat.id, reason: 'operator' as const, lastInboundAt: chat.lastInboundAt };
    const [stored] = await h.database.sql`select last_inbound_at from conversations where id = ${chat.id}`;
    expect(await activities().closeConversation(closing)).toEqual({
      departmentIds: [],
      customerWroteAgain: true,
      latestInboundAt: new Date(stored!.last_inbound_at as string).toISOString(),
    });
    const [row] = await h.database.sql`select status from conversations where id = ${chat.id}`;
    expect(row!.status).toBe('open');
  });

  it('puts the message in the next conversation when the close committed first, never on the closed one', async () => {
    const chat = await openChat(h, desk);
    let stored: Promise<Awaited<ReturnType<typeof storeMessage>>> | undefined;
    await h.database.db.transaction(async (tx) => {
      // A close in flight: it holds the customer's lock while it closes.
      await lockCustomer(tx, desk.number.id, chat.customerAddress);
      stored = storeMessage(desk, chat.customerAddress, `SM${'e5'.repeat(16)}`);
      await eventually(async () => {
        const waiting = await h.database.sql`
          select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
        return waiting.length > 0;
      }, 'the message to wait for the lock');
      await tx.execute(sql`update conversations set status = 'closed', closed_at = now() where id = ${chat.id}`);
    });
    const recorded = await stored!;
    expect(recorded.conversation.id).not.toBe(chat.id);
    expect(recorded.conversation).toMatchObject({ seq: chat.seq + 1, status: 'waiting' });
    const onClosed = await h.database
      .sql`select id from messages where conversation_id = ${chat.id} and direction = 'inbound'`;
    expect(onClosed).toHaveLength(1);
  });

  it("never moves the customer's latest time back when an earlier-stamped message is stored second", async () => {
    // A desk of its own: the test above leaves a waiting chat with no workflow at the head of the queue.
    const own = await createDesk(h, { points: 0 });
    const chat = await openChat(h, own);
    const later = new Date(Date.parse(chat.lastInboundAt) + 5000);
    await storeMessage(own, chat.customerAddress, `SM${'f6'.repeat(16)}`, later);
    await storeMessage(own, chat.customerAddress, `SM${'a7'.repeat(16)}`, new Date(later.getTime() - 2000));
    const [row] = await h.database.sql`select last_inbound_at from conversations where id = ${chat.id}`;
    expect(new Date(row!.last_inbound_at).toISOString()).toBe(later.toISOString());
  });

  it('answers the operator 409 customer_wrote_again when the message was stored as they closed, and keeps it open', async () => {
    // A desk of its own too: a chat a test above left without its workflow holds the shared desk's queue.
    const own = await createDesk(h, { points: 0 });
    const chat = await openChat(h, own);
    // Stored as the webhook stores it, before it signals the workflow: the close meets it in between.
    await storeMessage(own, chat.customerAddress, `SM${'b8'.repeat(16)}`);
    const close = await h.request('POST', `/v1/conversations/${chat.id}/close`, { key: own.operatorKey });
    expect([close.status, close.body.error?.code]).toEqual([409, 'customer_wrote_again']);
    const detail = await h.request('GET', `/v1/conversations/${chat.id}`, { key: own.operatorKey });
    expect(detail.body.conversation.status).toBe('open');
  });
});
