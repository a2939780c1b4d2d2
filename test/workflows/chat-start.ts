import type { WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import {
  conversationWorkflowType,
  inboundSignal,
  type ConversationPolicy,
  type ConversationWorkflow,
  type InboundNotice,
} from '../../src/contracts/conversation-contract';
import type { TimeSkipping } from '../helpers/time-skipping';
import { DAY, iso } from './fakes';

export const HOUR = 3600;
const policy: ConversationPolicy = { unattendedSeconds: HOUR, idleSeconds: HOUR, closingNotice: null };

/**
 * Starts chats as a customer's first message does, at the test server's now (t0). Assignment is retried
 * only when woken (`assignmentRetrySeconds` of a month), so a test decides when an operator is found.
 */
export function chatStarter(t: TimeSkipping, track: <H extends WorkflowHandle>(handle: H) => H) {
  return async (taskQueue: string, chat: { policy?: Partial<ConversationPolicy>; channel?: 'web' } = {}) => {
    const t0 = await t.env.currentTimeMs();
    const numberId = chat.channel === 'web' ? null : 'n1';
    const input = { conversationId: 'c1', orgId: 'o1', numberId, channel: chat.channel };
    const handle = await t.client.workflow.signalWithStart<ConversationWorkflow, [InboundNotice]>(
      conversationWorkflowType,
      {
        workflowId: `conversation-${randomUUID()}`,
        taskQueue,
        args: [{ ...input, policy: { ...policy, ...chat.policy }, assignmentRetrySeconds: 30 * DAY }],
        signal: inboundSignal,
        signalArgs: [{ messageId: 'm1', receivedAt: iso(t0) }],
      },
    );
    return { handle: track(handle), t0 };
  };
}
