import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import {
  closeUpdate,
  conversationWorkflowType,
  inboundSignal,
  replyUpdate,
  transferUpdate,
  wakeSignal,
  type ConversationPolicy,
  type ConversationWorkflow,
  type InboundNotice,
  type ReplyRequest,
  type TransferRequest,
} from '../contracts/conversation-contract';
import { ConversationStatus, NumberId, OrgId } from '../contracts/search-attributes';
import type { Db } from '../db/database';
import type { Conversation } from '../db/queries/inbound-queries';
import { conversationToRestart } from '../db/queries/repair-queries';
import { withinDeadline } from './call-deadline';

/**
 * Wakes the conversation's workflow, starting it on the first message. Safe to repeat: the
 * workflow treats a repeated notice as the same message.
 */
export async function notifyConversation(
  temporal: Client,
  taskQueue: string,
  conversation: Conversation,
  notice: { messageId: string; receivedAt: Date; unsupportedContent: boolean },
  policy: ConversationPolicy,
): Promise<void> {
  await withinDeadline(temporal, () =>
    temporal.workflow.signalWithStart<ConversationWorkflow, [InboundNotice]>(conversationWorkflowType, {
      ...startOptions(conversation, taskQueue),
      args: [{ ...inputOf(conversation), policy }],
      signal: inboundSignal,
      signalArgs: [{ ...notice, receivedAt: notice.receivedAt.toISOString() }],
      // A finished conversation must stay finished; a new message opens the next seq instead.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    }),
  );
}

/**
 * Starts a live conversation's workflow again from what the database knows, when it never started (its
 * start was lost to an outage) or was terminated; a running one is only woken. False once closed.
 */
export async function restartConversation(
  temporal: Client,
  taskQueue: string,
  db: Db,
  conversationId: string,
): Promise<boolean> {
  const restart = await conversationToRestart(db, conversationId);
  if (!restart) return false;
  const { conversation, policy, state } = restart;
  await withinDeadline(temporal, () =>
    temporal.workflow.signalWithStart<ConversationWorkflow, []>(conversationWorkflowType, {
      ...startOptions(conversation, taskQueue),
      args: [{ ...inputOf(conversation), policy, state }],
      signal: wakeSignal,
      signalArgs: [],
      // A run that ended by closing stays ended; one terminated by hand may run again.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    }),
  );
  return true;
}

const inputOf = ({ id: conversationId, orgId, numberId, channel }: Conversation) => ({
  conversationId,
  orgId,
  numberId,
  channel,
});

function startOptions(conversation: Conversation, taskQueue: string) {
  const { orgId, numberId, channel } = conversation;
  const who = conversation.customerName ?? conversation.customerAddress;
  return {
    workflowId: conversation.workflowId,
    taskQueue,
    typedSearchAttributes: [
      { key: OrgId, value: orgId },
      ...(numberId ? [{ key: NumberId, value: numberId }] : []),
      { key: ConversationStatus, value: conversation.status },
    ],
    staticSummary: `${channel === 'whatsapp' ? 'WhatsApp' : 'Web'} chat with ${who}`,
  };
}

/**
 * An operator's reply; the update id is the request id, so a retried request is the same reply. The
 * workflow answers within seconds even while Twilio is down (the reply is then `pending` and still sent).
 */
export const replyToConversation = (temporal: Client, workflowId: string, request: ReplyRequest) =>
  withinDeadline(temporal, () =>
    temporal.workflow
      .getHandle(workflowId)
      .executeUpdate(replyUpdate, { args: [request], updateId: request.requestId }),
  );

export const closeConversation = (temporal: Client, workflowId: string, closedBy: string) =>
  withinDeadline(temporal, () =>
    temporal.workflow.getHandle(workflowId).executeUpdate(closeUpdate, { args: [{ closedBy }] }),
  );

export const transferConversation = (temporal: Client, workflowId: string, target: TransferRequest) =>
  withinDeadline(temporal, () =>
    temporal.workflow.getHandle(workflowId).executeUpdate(transferUpdate, { args: [target] }),
  );
