import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Conversation } from '../db/queries/inbound-queries';
import { conversationWorkflow, inboundSignal, type ConversationPolicy } from '../../workflows/conversation-workflow';
import { ConversationStatus, NumberId, OrgId } from '../contracts/search-attributes';

const SIGNAL_DEADLINE_MS = 10_000;

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
  // Twilio gives up on a webhook after 15 s; answering 503 well before lets it retry.
  await temporal.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () => temporal.workflow.signalWithStart(conversationWorkflow, {
    workflowId: conversation.workflowId,
    taskQueue,
    args: [{ conversationId: conversation.id, orgId: conversation.orgId, numberId: conversation.numberId, channel: conversation.channel, policy }],
    signal: inboundSignal,
    signalArgs: [{ ...notice, receivedAt: notice.receivedAt.toISOString() }],
    // A finished conversation must stay finished; a new message opens the next seq instead.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: [
      { key: OrgId, value: conversation.orgId },
      ...(conversation.numberId ? [{ key: NumberId, value: conversation.numberId }] : []),
      { key: ConversationStatus, value: conversation.status },
    ],
    staticSummary: `${conversation.channel === 'whatsapp' ? 'WhatsApp' : 'Web'} chat with ${conversation.customerName ?? conversation.customerAddress}`,
  }));
}
