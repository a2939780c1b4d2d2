import { describe, expect, it } from 'vitest';
import { createDesk, eventually, inboundForm, postSignedForm } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';
import { SUGGEST_CONTINUE_AS_NEW_AT } from '../dev/harness/test-services';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 2 }));

const MESSAGES = 2000;
const FROM = 'whatsapp:+15556660001';

describe('a long conversation', () => {
  it('stays one correct conversation over 2,000 messages while its workflow history stays bounded', async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < MESSAGES) {
          const i = next++;
          const form = inboundForm(desk, { From: FROM, Body: `message ${i}` });
          // Like Twilio, deliver again on a 503 (the suite's load can slow Temporal past the webhook's deadline).
          let res = await postSignedForm(h, '/webhooks/twilio/messages', form);
          for (let retry = 0; res.status === 503 && retry < 3; retry++)
            res = await postSignedForm(h, '/webhooks/twilio/messages', form);
          expect(res.status).toBe(200);
        }
      }),
    );
    const list = await h.request('GET', '/v1/conversations', { key: desk.adminKey });
    const mine = list.body.conversations.filter((c: any) => c.customerAddress === '+15556660001');
    expect(mine).toHaveLength(1);
    const conversation = mine[0];
    const stored = await h.database
      .sql`select count(*)::int as n from messages where conversation_id = ${conversation.id}`;
    expect(stored[0]!.n).toBe(MESSAGES);

    const reply = await h.request('POST', `/v1/conversations/${conversation.id}/messages`, {
      key: desk.operatorKey,
      body: { body: 'Thanks for all of them' },
    });
    expect(reply.status).toBe(201);

    const handle = h.temporal.workflow.getHandle(conversation.workflowId);
    const state = await eventually(async () => {
      const s = await handle.query<{ answered: boolean; status: string; lastInboundAt: string }>('state');
      return s.answered && s;
    }, 'the reply to be in the workflow state');
    expect(state).toMatchObject({ status: 'open', lastInboundAt: conversation.lastInboundAt });

    const runs = h.temporal.workflow.list({ query: `WorkflowId = '${conversation.workflowId}'` });
    let runCount = 0;
    for await (const run of runs) {
      runCount++;
      // Messages that arrive while a run finishes its handlers still land in it, so a loaded machine overshoots
      // the suggestion; one unbounded run would hold the whole conversation (at least an event per message).
      expect(run.historyLength).toBeLessThan(SUGGEST_CONTINUE_AS_NEW_AT * 3);
    }
    expect(runCount).toBeGreaterThan(1);
  }, 180_000);
});
