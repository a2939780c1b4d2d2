import { describe, expect, inject, it } from 'vitest';
import { ledgerDiscrepancy } from '../src/db/queries/wallet-queries';
import { createDesk, eventually, openChat } from './helpers/fixtures';
import { recordHistoryIfAsked } from './helpers/record-history';
import { useHarness } from './helpers/use-harness';

const h = useHarness();

describe('a reply while Twilio answers 503', () => {
  it('is accepted as pending while Twilio is down, then sent once and charged once when it is back', async () => {
    const desk = await createDesk(h, { points: 1 });
    const conversationId = (await openChat(h, desk)).id;
    const outage = { code: 20503, status: 503, message: 'Service Unavailable', times: 1_000_000 };
    h.emulator.failNextSend({ to: undefined, ...outage });
    const res = await h.request('POST', `/v1/conversations/${conversationId}/messages`, {
      key: desk.operatorKey,
      body: { body: 'we are on it' },
      headers: { 'idempotency-key': 'outage-reply-1' },
    });
    // Answered while every send still fails: the operator is not kept waiting on Twilio.
    expect(res.status).toBe(201);
    expect(res.body.message).toMatchObject({ status: 'pending', providerSid: null, creditsCharged: 1 });
    expect(h.emulator.sentMessages().filter((m) => m.body === 'we are on it')).toEqual([]);

    h.emulator.clearFailures();
    const messageId = res.body.message.id as string;
    const sent = await eventually(
      async () => {
        const list = await h.request('GET', `/v1/conversations/${conversationId}`, { key: desk.operatorKey });
        const message = list.body.messages.find((m: { id: string }) => m.id === messageId);
        return message?.providerSid ? message : undefined;
      },
      'the pending reply to be sent once Twilio is back',
      90_000,
    );
    expect(sent.status).not.toBe('failed');
    expect(
      h.emulator
        .sentMessages()
        .filter((m) => m.body === 'we are on it')
        .map((m) => m.sid),
    ).toEqual([sent.providerSid]);
    const wallet = (await h.request('GET', '/v1/wallet', { key: desk.adminKey })).body.wallet;
    expect(wallet.balance.credits).toBe(399);
    expect(await ledgerDiscrepancy(h.database.db, desk.orgId)).toBe(0);

    const close = await h.request('POST', `/v1/conversations/${conversationId}/close`, { key: desk.operatorKey });
    expect(close.body.conversation.status).toBe('closed');
    const [row] = await h.database.sql`select workflow_id from conversations where id = ${conversationId}`;
    recordHistoryIfAsked(inject('temporalAddress'), row!.workflow_id as string, 'conversation-reply-sent-after-outage');
  }, 120_000);
});
