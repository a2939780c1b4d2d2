import { describe, expect, it } from 'vitest';
import { replyUpdate, stateQuery, TWILIO_UNREACHABLE } from '../../src/contracts/conversation-contract';
import { useTimeSkipping } from '../helpers/time-skipping';
import { chatStarter } from './chat-start';
import { conversationFakes, DAY, fakeWorkers } from './fakes';

const t = useTimeSkipping();
const { withWorker, track } = fakeWorkers(t);
const startChat = chatStarter(t, track);
const text = (requestId: string) => ({ requestId, operatorId: 'op1', body: 'Hello' });
const operatorFound = { assignConversation: () => ({ operatorId: 'op1' }) };
const longChat = { unattendedSeconds: 2 * DAY, idleSeconds: 2 * DAY };

/** Twilio refusing connections until `up()`; then it takes every message. */
function twilioOutage() {
  let down = true;
  const fakes = conversationFakes(t, {
    ...operatorFound,
    sendWhatsApp: ({ messageId }) => {
      if (down) throw new Error('connect ECONNREFUSED');
      return { messageId, providerSid: `SM-${messageId}`, status: 'queued', errorCode: null, errorMessage: null };
    },
  });
  return { ...fakes, up: () => (down = false) };
}

describe('a reply while Twilio is down', () => {
  it('is answered at once as pending, and sent when Twilio is back', async () => {
    const { rec, activities, up } = twilioOutage();
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue, { policy: longChat });
      const answer = await handle.executeUpdate(replyUpdate, { args: [text('r1')] });
      expect(answer).toMatchObject({ messageId: 'msg:r1', status: 'pending', providerSid: null });
      await t.env.sleep('3 minutes');
      up();
      await t.env.sleep('2 minutes');
      expect((await handle.query(stateQuery)).answered).toBe(true);
    });
    expect(rec.of('sendWhatsApp').length).toBeGreaterThan(2);
    expect(rec.inputs('recordSendResult')).toEqual([
      { messageId: 'msg:r1', providerSid: 'SM-msg:r1', status: 'queued', errorCode: null, errorMessage: null },
    ]);
  });

  it('ends failed with its credit refunded when Twilio is still down as the 24-hour window closes', async () => {
    const { rec, activities } = twilioOutage();
    await withWorker(activities, async (taskQueue) => {
      const { handle, t0 } = await startChat(taskQueue, { policy: longChat });
      await t.env.sleep(DAY * 1000 - 5 * 60_000);
      expect(await handle.executeUpdate(replyUpdate, { args: [text('r1')] })).toMatchObject({ status: 'pending' });
      await t.env.sleep('10 minutes');
      const [failed] = rec.of('recordSendResult');
      expect(failed!.input).toMatchObject({ messageId: 'msg:r1', status: 'failed', errorCode: TWILIO_UNREACHABLE });
      expect(failed!.at).toBeGreaterThanOrEqual(t0 + DAY * 1000 - 5 * 60_000);
      expect(failed!.at).toBeLessThan(t0 + DAY * 1000 + 60_000);
    });
    expect(rec.of('recordSendResult')).toHaveLength(1);
  });

  it('is sent once when the same request is retried while it is still pending', async () => {
    const { rec, activities, up } = twilioOutage();
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue, { policy: longChat });
      await handle.executeUpdate(replyUpdate, { args: [text('r1')] });
      // A new update id with the same request, as after the API's retry past Temporal's update dedupe.
      const again = await handle.executeUpdate(replyUpdate, { args: [text('r1')], updateId: 'retry' });
      expect(again).toMatchObject({ messageId: 'msg:r1', status: 'pending' });
      up();
      await t.env.sleep('2 minutes');
    });
    expect(rec.of('recordSendResult')).toHaveLength(1);
    expect(rec.inputs('prepareOutbound').map((i) => i.requestId)).toEqual(['r1', 'r1']);
  });
});
