import { describe, expect, it } from 'vitest';
import {
  closeUpdate,
  inboundSignal,
  replyUpdate,
  stateQuery,
  wakeSignal,
} from '../../src/contracts/conversation-contract';
import { FailureType } from '../../src/contracts/failure-types';
import { useTimeSkipping } from '../helpers/time-skipping';
import { chatStarter, HOUR } from './chat-start';
import { conversationFakes, DAY, iso, refusal, fakeWorkers } from './fakes';

const t = useTimeSkipping();
const { withWorker, track } = fakeWorkers(t);
const text = (requestId: string) => ({ requestId, operatorId: 'op1', body: 'Hello' });
const operatorFound = { assignConversation: () => ({ operatorId: 'op1' }) };
const noPoints = { prepareOutbound: () => ({ outcome: 'insufficient_points' as const, balanceCredits: 0 }) };

const startChat = chatStarter(t, track);

describe('conversation workflow', () => {
  it('closes an unanswered chat as unattended_timeout when the policy limit is reached, not before', async () => {
    const { rec, activities } = conversationFakes(t);
    await withWorker(activities, async (taskQueue) => {
      const { handle, t0 } = await startChat(taskQueue);
      await t.env.sleep((HOUR - 60) * 1000);
      expect((await handle.query(stateQuery)).status).toBe('waiting');
      expect(rec.of('closeConversation')).toEqual([]);
      expect((await handle.result()).closeReason).toBe('unattended_timeout');
      const [close] = rec.of('closeConversation');
      expect(close!.at).toBeGreaterThanOrEqual(t0 + HOUR * 1000);
      expect(close!.at).toBeLessThan(t0 + (HOUR + 60) * 1000);
    });
  });

  it("sends the policy's closing notice before closing an unattended chat", async () => {
    const { rec, activities } = conversationFakes(t);
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue, { policy: { closingNotice: 'Bye' } });
      expect((await handle.result()).closeReason).toBe('unattended_timeout');
    });
    const names = rec.names().filter((n) => n !== 'assignConversation');
    expect(names).toEqual(['prepareOutbound', 'sendWhatsApp', 'recordSendResult', 'closeConversation']);
    expect(rec.inputs('prepareOutbound')[0]).toMatchObject({ requestId: 'notice:closing:c1', body: 'Bye' });
  });

  it('closes an unattended chat even when Twilio cannot take its closing notice, refunding the notice', async () => {
    const twilioDown = { sendWhatsApp: () => Promise.reject(new Error('Twilio is unavailable')) };
    const { rec, activities } = conversationFakes(t, twilioDown);
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue, { policy: { closingNotice: 'Bye' } });
      expect((await handle.result()).closeReason).toBe('unattended_timeout');
    });
    expect(rec.inputs('closeConversation')).toEqual([
      expect.objectContaining({ conversationId: 'c1', reason: 'unattended_timeout' }),
    ]);
    expect(rec.inputs('recordSendResult')).toEqual([
      expect.objectContaining({ messageId: 'msg:notice:closing:c1', status: 'failed', providerSid: null }),
    ]);
  });

  it('records the closing notice as skipped when there are no points for it, and still closes', async () => {
    const { rec, activities } = conversationFakes(t, noPoints);
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue, { policy: { closingNotice: 'Bye' } });
      expect((await handle.result()).closeReason).toBe('unattended_timeout');
    });
    expect(rec.inputs('recordSkippedMessage')).toEqual([
      { conversationId: 'c1', requestId: 'notice:closing:c1', body: 'Bye', reason: 'insufficient_points' },
    ]);
    expect(rec.of('sendWhatsApp')).toEqual([]);
    expect(rec.names().at(-1)).toBe('closeConversation');
  });

  it('closes an answered chat as inactive (no closing notice) idleSeconds after the last message, which a customer message moves', async () => {
    const { rec, activities } = conversationFakes(t, operatorFound);
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue, { policy: { unattendedSeconds: DAY, closingNotice: 'Bye' } });
      await handle.executeUpdate(replyUpdate, { args: [text('r1')] });
      await t.env.sleep('30 minutes');
      const t1 = await t.env.currentTimeMs();
      await handle.signal(inboundSignal, { messageId: 'm2', receivedAt: iso(t1) });
      await t.env.sleep('45 minutes');
      expect((await handle.query(stateQuery)).status).toBe('open');
      expect((await handle.result()).closeReason).toBe('inactive');
      const [close] = rec.of('closeConversation');
      expect(close!.at).toBeGreaterThanOrEqual(t1 + HOUR * 1000);
      expect(close!.at).toBeLessThan(t1 + (HOUR + 60) * 1000);
    });
    expect(rec.inputs('prepareOutbound').map((i) => i.requestId)).toEqual(['r1']);
  });

  it('refuses a plain reply 24 h after the customer last wrote (OutsideCustomerServiceWindow) but sends a template', async () => {
    const { rec, activities } = conversationFakes(t, operatorFound);
    await withWorker(activities, async (taskQueue) => {
      const { handle, t0 } = await startChat(taskQueue, { policy: { idleSeconds: 3 * DAY } });
      await handle.executeUpdate(replyUpdate, { args: [text('r1')] });
      await t.env.sleep('25 hours');
      const refused = await refusal(handle.executeUpdate(replyUpdate, { args: [text('r2')] }));
      expect(refused.type).toBe(FailureType.OutsideCustomerServiceWindow);
      expect(refused.details).toEqual([{ windowClosedAt: iso(t0 + DAY * 1000) }]);
      const template = { ...text('r3'), contentSid: 'HX1', contentVariables: { 1: 'Ana' } };
      expect(await handle.executeUpdate(replyUpdate, { args: [template] })).toMatchObject({ status: 'queued' });
    });
    expect(rec.inputs('prepareOutbound').map((i) => i.requestId)).toEqual(['r1', 'r3']);
    expect(rec.inputs('sendWhatsApp')[1]).toMatchObject({ contentSid: 'HX1', contentVariables: { 1: 'Ana' } });
  });

  it('refuses to reply to or close a closed conversation with ConversationClosed', async () => {
    const freed = { ...operatorFound, closeConversation: () => ({ departmentIds: ['d1'] }) };
    const { rec, activities } = conversationFakes(t, freed);
    const waking = rec.hold('wakeQueue'); // keeps the closed run alive while the refusals are tried
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue);
      const closing = handle.executeUpdate(closeUpdate, { args: [{ closedBy: 'op1' }] });
      await waking.entered;
      const reply = await refusal(handle.executeUpdate(replyUpdate, { args: [text('r1')] }));
      const close = await refusal(handle.executeUpdate(closeUpdate, { args: [{ closedBy: 'op1' }] }));
      expect([reply.type, close.type]).toEqual([FailureType.ConversationClosed, FailureType.ConversationClosed]);
      waking.release();
      expect(await closing).toMatchObject({ status: 'closed', closeReason: 'operator' });
    });
    expect(rec.inputs('closeConversation')).toEqual([
      expect.objectContaining({ conversationId: 'c1', reason: 'operator' }),
    ]);
    expect(rec.of('prepareOutbound')).toEqual([]);
  });

  it('refuses a reply without points with InsufficientPoints, giving the balance and the credits needed', async () => {
    const { rec, activities } = conversationFakes(t, { ...operatorFound, ...noPoints });
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue);
      const refused = await refusal(handle.executeUpdate(replyUpdate, { args: [text('r1')] }));
      expect(refused.type).toBe(FailureType.InsufficientPoints);
      expect(refused.details).toEqual([{ balanceCredits: 0, neededCredits: 1 }]);
      expect((await handle.query(stateQuery)).answered).toBe(false);
    });
    expect(rec.of('sendWhatsApp')).toEqual([]);
  });

  it('does not count a reply Twilio refused as an answer: the chat still closes as unattended', async () => {
    const failed = { providerSid: null, status: 'failed', errorCode: '63016', errorMessage: 'Window closed' } as const;
    const refusedByTwilio = { sendWhatsApp: ({ messageId }: { messageId: string }) => ({ messageId, ...failed }) };
    const { activities } = conversationFakes(t, { ...operatorFound, ...refusedByTwilio });
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue);
      const sent = await handle.executeUpdate(replyUpdate, { args: [text('r1')] });
      expect(sent).toMatchObject({ status: 'failed', providerSid: null, errorCode: '63016' });
      expect((await handle.query(stateQuery)).answered).toBe(false);
      expect((await handle.result()).closeReason).toBe('unattended_timeout');
    });
  });

  it('tells the customer once that the brand is switched off, however often assignment is retried', async () => {
    const switchedOff = { assignConversation: () => ({ operatorId: null, brandSwitchedOff: true }) };
    const { rec, activities } = conversationFakes(t, switchedOff);
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue, { policy: { unavailableReply: 'Closed for the holidays' } });
      await t.env.sleep('10 minutes');
      for (const _ of [1, 2, 3]) await handle.signal(wakeSignal);
      expect((await handle.result()).closeReason).toBe('unattended_timeout');
    });
    expect(rec.of('assignConversation').length).toBeGreaterThan(1);
    expect(rec.inputs('prepareOutbound')).toEqual([
      expect.objectContaining({ requestId: 'notice:unavailable:c1', body: 'Closed for the holidays' }),
    ]);
  });

  it("records a visitor's reply as delivered without WhatsApp, even a day after the visitor wrote", async () => {
    const { rec, activities } = conversationFakes(t, operatorFound);
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue, { channel: 'web', policy: { idleSeconds: 3 * DAY } });
      expect(await handle.executeUpdate(replyUpdate, { args: [text('r1')] })).toMatchObject({ status: 'delivered' });
      await t.env.sleep('25 hours');
      expect(await handle.executeUpdate(replyUpdate, { args: [text('r2')] })).toMatchObject({ status: 'delivered' });
    });
    const delivered = { providerSid: null, status: 'delivered', errorCode: null, errorMessage: null };
    expect(rec.inputs('recordSendResult')).toEqual(
      ['msg:r1', 'msg:r2'].map((messageId) => ({ messageId, ...delivered })),
    );
    expect(rec.of('sendWhatsApp')).toEqual([]);
  });
});
