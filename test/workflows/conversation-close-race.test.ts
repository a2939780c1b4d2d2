import { Context } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { closeUpdate, inboundSignal, replyUpdate, stateQuery } from '../../src/contracts/conversation-contract';
import { FailureType } from '../../src/contracts/failure-types';
import { useTimeSkipping } from '../helpers/time-skipping';
import { chatStarter } from './chat-start';
import { conversationFakes, fakeWorkers, iso, refusal } from './fakes';

const t = useTimeSkipping();
const { withWorker, track } = fakeWorkers(t);

/** The database saw a customer message the workflow has not heard of yet, until `heard` is called. */
function customerWritingAsItCloses() {
  let wroteAgain = true;
  const fakes = conversationFakes(t, {
    closeConversation: () => ({ departmentIds: [], customerWroteAgain: wroteAgain }),
  });
  return { ...fakes, heard: () => (wroteAgain = false) };
}

const startChat = chatStarter(t, track);

describe('a customer message that arrives as the conversation closes', () => {
  it("refuses an operator's close with CustomerWroteAgain and keeps the chat open", async () => {
    const { rec, activities } = customerWritingAsItCloses();
    await withWorker(activities, async (taskQueue) => {
      const { handle, t0 } = await startChat(taskQueue);
      const refused = await refusal(handle.executeUpdate(closeUpdate, { args: [{ closedBy: 'op1' }] }));
      expect(refused.type).toBe(FailureType.CustomerWroteAgain);
      expect((await handle.query(stateQuery)).status).not.toBe('closed');
      expect(rec.inputs('closeConversation')).toEqual([
        { conversationId: 'c1', reason: 'operator', lastInboundAt: iso(t0) },
      ]);
    });
  });

  it('does not close on the timer until it has heard the new message, and then closes it knowing of it', async () => {
    const { rec, activities, heard } = customerWritingAsItCloses();
    await withWorker(activities, async (taskQueue) => {
      const { handle, t0 } = await startChat(taskQueue);
      await t.env.sleep(3600_000 + 1000);
      expect((await handle.query(stateQuery)).status).not.toBe('closed');
      const later = t0 + 3600_000 + 1000;
      heard();
      await handle.signal(inboundSignal, { messageId: 'm2', receivedAt: iso(later) });
      const state = await handle.result();
      expect(state.closeReason).toBe('unattended_timeout');
      const closes = rec.of('closeConversation');
      expect(closes.at(-1)!.input.lastInboundAt).toBe(iso(later));
      // One refused attempt at the first deadline, then it waited for the message rather than retrying.
      expect(closes.filter((c) => c.input.lastInboundAt === iso(t0))).toHaveLength(1);
    });
  });

  it('learns of a message whose signal was lost from the refused close, and closes idle an hour after it', async () => {
    let refusals = 0;
    const { rec, activities } = conversationFakes(t, {
      assignConversation: () => ({ operatorId: 'op1' }),
      closeConversation: ({ lastInboundAt }) =>
        lastInboundAt === storedAt
          ? { departmentIds: [] }
          : (refusals++, { departmentIds: [], customerWroteAgain: true, latestInboundAt: storedAt }),
    });
    let storedAt = '';
    await withWorker(activities, async (taskQueue) => {
      const { handle, t0 } = await startChat(taskQueue);
      await handle.executeUpdate(replyUpdate, { args: [{ requestId: 'r1', operatorId: 'op1', body: 'Hi' }] });
      storedAt = iso(t0 + 30 * 60_000); // stored by the webhook, its signal lost to an outage
      const state = await handle.result();
      expect(state).toMatchObject({ closeReason: 'inactive', lastInboundAt: storedAt });
      const closes = rec.of('closeConversation');
      expect(refusals).toBe(1);
      expect(closes.at(-1)!.at).toBeGreaterThanOrEqual(t0 + 90 * 60_000);
      expect(closes.at(-1)!.at).toBeLessThan(t0 + 91 * 60_000);
    });
  });

  it("writes an operator's close only after Temporal has recorded accepting it, so no failure in between loses it", async () => {
    // Written before the acceptance is recorded, a lost workflow task leaves the row closed and the chat running open.
    const acceptedWhenWritten: boolean[] = [];
    const { activities } = conversationFakes(t, {
      closeConversation: async () => {
        const { workflowId } = Context.current().info.workflowExecution!;
        const { events } = await t.client.workflow.getHandle(workflowId).fetchHistory();
        acceptedWhenWritten.push(events!.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes));
        return { departmentIds: [] };
      },
    });
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startChat(taskQueue);
      await handle.executeUpdate(closeUpdate, { args: [{ closedBy: 'op1' }] });
    });
    expect(acceptedWhenWritten).toEqual([true]);
  });
});
