import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import {
  closeUpdate,
  conversationWorkflowType,
  inboundSignal,
  replyUpdate,
  transferUpdate,
  type ConversationPolicy,
  type ConversationWorkflow,
  type InboundNotice,
  type ReplyRequest,
  type TransferRequest,
} from '../contracts/conversation-contract';
import { ConversationStatus, NumberId, OrgId } from '../contracts/search-attributes';
import type { Conversation } from '../db/queries/inbound-queries';
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
  const { id: conversationId, orgId, numberId, channel } = conversation;
  const who = conversation.customerName ?? conversation.customerAddress;
  await withinDeadline(temporal, () =>
    temporal.workflow.signalWithStart<ConversationWorkflow, [InboundNotice]>(conversationWorkflowType, {
      workflowId: conversation.workflowId,
      taskQueue,
      args: [{ conversationId, orgId, numberId, channel, policy }],
      signal: inboundSignal,
      signalArgs: [{ ...notice, receivedAt: notice.receivedAt.toISOString() }],
      // A finished conversation must stay finished; a new message opens the next seq instead.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: OrgId, value: orgId },
        ...(numberId ? [{ key: NumberId, value: numberId }] : []),
        { key: ConversationStatus, value: conversation.status },
      ],
      staticSummary: `${channel === 'whatsapp' ? 'WhatsApp' : 'Web'} chat with ${who}`,
    }),
  );
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
