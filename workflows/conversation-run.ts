import {
  ApplicationFailure,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type {
  CloseReason,
  ConversationActivities,
  ConversationInput,
  ConversationState,
  Freed,
  InboundNotice,
  ReplyRequest,
  ReplyResult,
  TransferRequest,
} from '../src/contracts/conversation-contract';
import { FailureType } from '../src/contracts/failure-types';
import { ConversationStatus, OperatorId } from '../src/contracts/search-attributes';
import { lowBalanceSignal, walletWorkflowId } from '../src/contracts/wallet-contract';
import { ACCEPTED_TYPES_NOTICE } from '../src/domain/attachments';
import { serviceWindowEnd } from '../src/domain/conversation-timeline';
import { DEFAULT_UNAVAILABLE_REPLY } from '../src/domain/policies';
import { newConversationState } from './conversation-state';
import { briefly as twilio, OutboundSending, REPLIES_ANSWER_ONCE_QUEUED } from './outbound-sending';

const db = proxyActivities<ConversationActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});
/**
 * A timer's close writes through a local activity: when thousands of timers come due together, the Temporal
 * server (the bottleneck measured by the timers benchmark) then has no activity task to schedule and dispatch
 * for each. A timer's firing is recorded before the task runs, so a lost task only writes the close again.
 */
const local = proxyLocalActivities<ConversationActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

/** A close refused because the customer wrote again adopts the stored time of their message. */
const CLOSE_LEARNS_LATEST_INBOUND = 'close-learns-latest-inbound';
/**
 * An operator's close is written by a scheduled activity, which runs only once Temporal has recorded accepting
 * the update; a local activity commits first, so a workflow task lost after it left the row closed and the chat open.
 */
const OPERATOR_CLOSE_RECORDED_FIRST = 'operator-close-recorded-first';

/**
 * One run of a conversation: its state and everything that can happen to it. The workflow function
 * wires messages and its wait loop to these methods; the order of activity calls here is what the
 * recorded histories replay, so change it only behind `patched()`.
 */
export class ConversationRun {
  readonly state: ConversationState;
  wantAssignment: boolean;
  readonly sending = new OutboundSending();
  /** Bumped by anything that moves a close deadline, so the loop re-arms its timer. */
  timelineChanges = 0;
  private readonly conversationId: string;
  private readonly onWhatsApp: boolean;

  constructor(private readonly input: ConversationInput) {
    this.state = input.state ?? newConversationState();
    this.wantAssignment = this.state.status === 'waiting';
    this.conversationId = input.conversationId;
    this.onWhatsApp = (input.channel ?? 'whatsapp') === 'whatsapp';
  }

  /** Another message from the customer changes nothing about who is free, so it does not retry assignment. */
  noteInbound({ receivedAt, unsupportedContent }: InboundNotice): void {
    const { state } = this;
    if (unsupportedContent && !state.acceptedTypesNoticeSent) state.acceptedTypesNoticeDue = true;
    // Replayed webhooks signal again; taking the latest time keeps this idempotent.
    state.firstInboundAt ??= receivedAt;
    if (!state.lastInboundAt || receivedAt > state.lastInboundAt) state.lastInboundAt = receivedAt;
    if (!state.lastActivityAt || receivedAt > state.lastActivityAt) state.lastActivityAt = receivedAt;
    this.timelineChanges++;
  }

  wake(): void {
    if (this.state.status === 'waiting') this.wantAssignment = true;
  }

  async requeue(): Promise<void> {
    if (this.state.status !== 'open' || this.state.answered) return;
    await this.handOff(db.requeueConversation({ conversationId: this.conversationId }));
  }

  refuseIfClosed(): void {
    if (this.state.status === 'closed') {
      throw ApplicationFailure.nonRetryable('The conversation is closed', FailureType.ConversationClosed);
    }
  }

  /** The 24-hour rule is WhatsApp's; a template is its way around it. */
  validateReply(request: ReplyRequest): void {
    this.refuseIfClosed();
    if (request.contentSid || !this.onWhatsApp) return;
    const windowEnd = serviceWindowEnd(this.state);
    if (Date.now() > windowEnd) {
      throw ApplicationFailure.nonRetryable(
        'More than 24 hours have passed since the customer last wrote; WhatsApp allows only templates now',
        FailureType.OutsideCustomerServiceWindow,
        { windowClosedAt: new Date(windowEnd).toISOString() },
      );
    }
  }

  async reply(request: ReplyRequest): Promise<ReplyResult> {
    const result = await this.send(request, 'reply');
    if (result.status !== 'failed') {
      this.state.answered = true;
      this.state.lastActivityAt = new Date().toISOString();
      this.timelineChanges++;
    }
    return result;
  }

  async transfer({ operatorId, departmentId }: TransferRequest): Promise<ConversationState> {
    if (!operatorId) {
      await this.handOff(db.requeueConversation({ conversationId: this.conversationId, departmentId }));
      return this.state;
    }
    const { departmentIds } = await db.giveToOperator({ conversationId: this.conversationId, operatorId });
    if (this.state.status !== 'closed') this.show('open', operatorId);
    if (departmentIds.length) await db.wakeQueue({ departmentIds });
    return this.state;
  }

  /** Closes, unless the customer wrote again as it closed (false): then the chat stays open to answer them. */
  async close(reason: CloseReason): Promise<boolean> {
    if (reason === 'unattended_timeout' && this.input.policy.closingNotice) {
      await this.sendNotice('closing', this.input.policy.closingNotice);
    }
    const lastInboundAt = this.state.lastInboundAt ?? undefined;
    const closing = { conversationId: this.conversationId, reason, lastInboundAt };
    const writer = reason === 'operator' && patched(OPERATOR_CLOSE_RECORDED_FIRST) ? db : local;
    const { departmentIds, customerWroteAgain, latestInboundAt } = await writer.closeConversation(closing);
    if (customerWroteAgain) {
      // Its signal may never come (lost to an outage as the webhook was answered): the stored time moves the deadline.
      if (latestInboundAt && patched(CLOSE_LEARNS_LATEST_INBOUND)) {
        this.noteInbound({ messageId: 'stored', receivedAt: latestInboundAt });
      }
      return false;
    }
    this.state.status = 'closed';
    this.state.closeReason = reason;
    upsertSearchAttributes([{ key: ConversationStatus, value: 'closed' }]);
    if (departmentIds.length) await db.wakeQueue({ departmentIds });
    return true;
  }

  /** One try at finding an operator; queued chats assigned in the same go are told. */
  async assign(): Promise<void> {
    this.wantAssignment = false;
    const assigned = await db.assignConversation({ conversationId: this.conversationId });
    if (assigned.brandSwitchedOff && !this.state.unavailableReplySent) {
      // Recorded, not routed; the customer hears why once. Switching the brand on wakes this chat.
      this.state.unavailableReplySent = true;
      await this.sendNotice('unavailable', this.input.policy.unavailableReply ?? DEFAULT_UNAVAILABLE_REPLY);
    }
    // A close or transfer may have landed while the activity ran; it wins.
    if (assigned.operatorId && this.state.status === 'waiting') this.show('open', assigned.operatorId);
    if (assigned.alsoAssigned?.length) await db.wakeConversations({ workflowIds: assigned.alsoAssigned });
    // A full batch: more chats behind these may fit.
    if (assigned.wakeDepartmentId) await db.wakeQueue({ departmentIds: [assigned.wakeDepartmentId] });
  }

  get acceptedTypesNoticeDue(): boolean {
    return this.state.acceptedTypesNoticeDue === true && !this.state.acceptedTypesNoticeSent;
  }

  async sendAcceptedTypesNotice(): Promise<void> {
    this.state.acceptedTypesNoticeSent = true;
    await this.sendNotice('accepted-types', ACCEPTED_TYPES_NOTICE);
  }

  private show(status: 'open', operatorId: string): void {
    this.state.status = status;
    this.state.operatorId = operatorId;
    upsertSearchAttributes([
      { key: ConversationStatus, value: status },
      { key: OperatorId, value: operatorId },
    ]);
  }

  private async handOff(freeing: Promise<Freed>): Promise<void> {
    const { departmentIds } = await freeing;
    if (this.state.status === 'closed') return;
    this.state.status = 'waiting';
    this.state.operatorId = null;
    this.wantAssignment = true;
    upsertSearchAttributes([{ key: ConversationStatus, value: 'waiting' }]);
    if (departmentIds.length) await db.wakeQueue({ departmentIds });
  }

  private async send(request: ReplyRequest, kind: 'reply' | 'notice'): Promise<ReplyResult> {
    const prepared = await db.prepareOutbound({ conversationId: this.conversationId, ...request });
    if (prepared.outcome === 'insufficient_points') {
      throw ApplicationFailure.nonRetryable('Not enough points to send a message', FailureType.InsufficientPoints, {
        balanceCredits: prepared.balanceCredits,
        neededCredits: 1,
      });
    }
    if (prepared.lowBalance) {
      // Not awaited: the reply need not wait for the wallet, and a wallet without auto-refill has no workflow.
      void getExternalWorkflowHandle(walletWorkflowId(this.input.orgId))
        .signal(lowBalanceSignal)
        .catch(() => undefined);
    }
    const message = prepared.message;
    // A replayed request whose message already reached Twilio, or is on its way, is answered without sending again.
    if (message.providerSid || message.status === 'failed' || message.status === 'delivered') return message;
    if (this.sending.isSending(message.messageId)) return message;
    if (!this.onWhatsApp) {
      // The visitor collects it from our API: stored is delivered.
      const { messageId } = message;
      return db.recordSendResult({
        messageId,
        providerSid: null,
        status: 'delivered',
        errorCode: null,
        errorMessage: null,
      });
    }
    const { body, mediaUrl, contentSid, contentVariables } = request;
    const send = { ...message, body, mediaUrl, contentSid, contentVariables };
    if (patched(REPLIES_ANSWER_ONCE_QUEUED)) {
      if (kind === 'notice') return this.sending.notice(send);
      return this.sending.reply(message, send, contentSid ? null : serviceWindowEnd(this.state));
    }
    return db.recordSendResult(await twilio.sendWhatsApp(send));
  }

  /** Charged like any message; without points it is recorded as skipped rather than sent. */
  private async sendNotice(kind: string, body: string): Promise<void> {
    const requestId = `notice:${kind}:${this.conversationId}`;
    try {
      await this.send({ requestId, operatorId: null, body }, 'notice');
    } catch (err) {
      if (!(err instanceof ApplicationFailure) || err.type !== FailureType.InsufficientPoints) throw err;
      const { conversationId } = this;
      await db.recordSkippedMessage({ conversationId, requestId, body, reason: 'insufficient_points' });
    }
  }
}
