import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { OutboundMessage } from '../activities/message-activities';
import { ACCEPTED_TYPES_NOTICE } from '../src/domain/attachments';
import {
  DEFAULT_UNAVAILABLE_REPLY,
  nextClose,
  serviceWindowEnd,
  type CloseReason,
  type ConversationPolicy,
  type ConversationState,
} from '../src/domain/conversation-timeline';
import { ConversationStatus, OperatorId } from '../src/contracts/search-attributes';
import { lowBalanceSignal } from './wallet-workflow';

export type { ConversationPolicy, ConversationState } from '../src/domain/conversation-timeline';

export interface ConversationInput {
  conversationId: string;
  orgId: string;
  /** null for website and app visitors (F2): their replies are delivered by us, not Twilio. */
  numberId: string | null;
  /** Absent in runs started before visitors existed: those are WhatsApp. */
  channel?: 'whatsapp' | 'web' | 'app';
  policy: ConversationPolicy;
  /** Safety net: a waiting chat looks again this often even if no hand-off woke it. */
  assignmentRetrySeconds?: number;
  /** Carried over by continue-as-new. */
  state?: ConversationState;
}

export interface InboundNotice {
  messageId: string;
  receivedAt: string;
  /** The message carried content this channel does not accept (F17). */
  unsupportedContent?: boolean;
}

export interface ReplyRequest {
  requestId: string;
  /** null when an admin answers on the desk's behalf. */
  operatorId: string | null;
  body: string;
  mediaUrl?: string;
  /** An approved template: allowed outside WhatsApp's 24-hour window. */
  contentSid?: string;
  contentVariables?: Record<string, string>;
}

export type ReplyResult = OutboundMessage;

export interface TransferRequest {
  operatorId?: string;
  departmentId?: string;
}

export const inboundSignal = defineSignal<[InboundNotice]>('inbound');
/** An operator may have become free: try to assign now. */
export const wakeSignal = defineSignal('wake');
/** The assigned operator went offline before answering: back to the queue. */
export const requeueSignal = defineSignal('requeue');
export const replyUpdate = defineUpdate<ReplyResult, [ReplyRequest]>('reply');
export const closeUpdate = defineUpdate<ConversationState, [{ closedBy: string }]>('close');
export const transferUpdate = defineUpdate<ConversationState, [TransferRequest]>('transfer');
export const stateQuery = defineQuery<ConversationState>('state');

const db = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});
/**
 * The close's database write runs as a local activity: when thousands of timers come due together,
 * the Temporal server (the bottleneck measured by the timers benchmark) then has no activity task
 * to schedule and dispatch for each close.
 */
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});
const twilio = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '30 seconds', maximumAttempts: 8 },
});

const closedFailure = () => ApplicationFailure.nonRetryable('The conversation is closed', 'ConversationClosed');

export async function conversationWorkflow(input: ConversationInput): Promise<ConversationState> {
  const state: ConversationState = input.state ?? {
    status: 'waiting',
    operatorId: null,
    closeReason: null,
    firstInboundAt: null,
    lastInboundAt: null,
    lastActivityAt: null,
    answered: false,
  };
  let wantAssignment = state.status === 'waiting';
  /** Bumped by anything that moves a close deadline, so the loop re-arms its timer. */
  let timelineChanges = 0;
  const nowIso = () => new Date().toISOString();
  const onWhatsApp = (input.channel ?? 'whatsapp') === 'whatsapp';

  setHandler(stateQuery, () => state);
  // Another message from the customer changes nothing about who is free, so it does not retry assignment.
  setHandler(inboundSignal, ({ receivedAt, unsupportedContent }) => {
    if (unsupportedContent && !state.acceptedTypesNoticeSent) state.acceptedTypesNoticeDue = true;
    // Replayed webhooks signal again; taking the latest time keeps this idempotent.
    state.firstInboundAt ??= receivedAt;
    if (!state.lastInboundAt || receivedAt > state.lastInboundAt) state.lastInboundAt = receivedAt;
    if (!state.lastActivityAt || receivedAt > state.lastActivityAt) state.lastActivityAt = receivedAt;
    timelineChanges++;
  });
  setHandler(wakeSignal, () => {
    if (state.status === 'waiting') wantAssignment = true;
  });
  setHandler(requeueSignal, async () => {
    if (state.status !== 'open' || state.answered) return;
    await handOff(db.requeueConversation({ conversationId: input.conversationId }));
  });

  async function handOff(freeing: Promise<{ departmentIds: string[] }>): Promise<void> {
    const { departmentIds } = await freeing;
    if (state.status === 'closed') return;
    state.status = 'waiting';
    state.operatorId = null;
    wantAssignment = true;
    upsertSearchAttributes([{ key: ConversationStatus, value: 'waiting' }]);
    if (departmentIds.length) await db.wakeQueue({ departmentIds });
  }

  async function send(request: ReplyRequest): Promise<ReplyResult> {
    const prepared = await db.prepareOutbound({ conversationId: input.conversationId, ...request });
    if (prepared.outcome === 'insufficient_points') {
      throw ApplicationFailure.nonRetryable('Not enough points to send a message', 'InsufficientPoints', {
        balanceCredits: prepared.balanceCredits,
        neededCredits: 1,
      });
    }
    if (prepared.lowBalance) {
      // Not awaited: the reply need not wait for the wallet, and a wallet without auto-refill has no workflow.
      void getExternalWorkflowHandle(`wallet:${input.orgId}`).signal(lowBalanceSignal).catch(() => undefined);
    }
    const message = prepared.message;
    // A replayed request whose message already reached Twilio is answered without sending again.
    if (message.providerSid || message.status === 'failed' || message.status === 'delivered') return message;
    if (!onWhatsApp) {
      // The visitor collects it from our API: stored is delivered.
      return db.recordSendResult({ messageId: message.messageId, providerSid: null, status: 'delivered', errorCode: null, errorMessage: null });
    }
    const sent = await twilio.sendWhatsApp({
      ...message,
      body: request.body,
      mediaUrl: request.mediaUrl,
      contentSid: request.contentSid,
      contentVariables: request.contentVariables,
    });
    return db.recordSendResult(sent);
  }

  setHandler(
    replyUpdate,
    async (request) => {
      const result = await send(request);
      if (result.status !== 'failed') {
        state.answered = true;
        state.lastActivityAt = nowIso();
        timelineChanges++;
      }
      return result;
    },
    {
      validator: (request: ReplyRequest) => {
        if (state.status === 'closed') throw closedFailure();
        // The 24-hour rule is WhatsApp's; a template is its way around it.
        if (request.contentSid || !onWhatsApp) return;
        const windowEnd = serviceWindowEnd(state);
        if (Date.now() > windowEnd) {
          throw ApplicationFailure.nonRetryable(
            'More than 24 hours have passed since the customer last wrote; WhatsApp allows only templates now',
            'OutsideCustomerServiceWindow',
            { windowClosedAt: new Date(windowEnd).toISOString() },
          );
        }
      },
    },
  );

  setHandler(closeUpdate, (_request: { closedBy: string }) => close('operator').then(() => state), {
    validator: (_request: { closedBy: string }) => {
      if (state.status === 'closed') throw closedFailure();
    },
  });

  setHandler(
    transferUpdate,
    async ({ operatorId, departmentId }) => {
      if (operatorId) {
        const { departmentIds } = await db.giveToOperator({ conversationId: input.conversationId, operatorId });
        if (state.status !== 'closed') {
          state.status = 'open';
          state.operatorId = operatorId;
          upsertSearchAttributes([{ key: ConversationStatus, value: 'open' }, { key: OperatorId, value: operatorId }]);
        }
        if (departmentIds.length) await db.wakeQueue({ departmentIds });
      } else {
        await handOff(db.requeueConversation({ conversationId: input.conversationId, departmentId }));
      }
      return state;
    },
    {
      validator: (_request: TransferRequest) => {
        if (state.status === 'closed') throw closedFailure();
      },
    },
  );

  async function close(reason: CloseReason): Promise<void> {
    if (reason === 'unattended_timeout' && input.policy.closingNotice) await sendNotice('closing', input.policy.closingNotice);
    const { departmentIds } = await local.closeConversation({ conversationId: input.conversationId, reason });
    state.status = 'closed';
    state.closeReason = reason;
    upsertSearchAttributes([{ key: ConversationStatus, value: 'closed' }]);
    if (departmentIds.length) await db.wakeQueue({ departmentIds });
  }

  /** Charged like any message; without points it is recorded as skipped rather than sent. */
  async function sendNotice(kind: string, body: string): Promise<void> {
    const requestId = `notice:${kind}:${input.conversationId}`;
    try {
      await send({ requestId, operatorId: null, body });
    } catch (err) {
      if (!(err instanceof ApplicationFailure) || err.type !== 'InsufficientPoints') throw err;
      await db.recordSkippedMessage({ conversationId: input.conversationId, requestId, body, reason: 'insufficient_points' });
    }
  }

  const retryMs = (input.assignmentRetrySeconds ?? 300) * 1000;
  while (state.status !== 'closed') {
    if (state.status === 'waiting' && wantAssignment) {
      wantAssignment = false;
      const { operatorId, wakeDepartmentId, brandSwitchedOff, alsoAssigned } = await db.assignConversation({ conversationId: input.conversationId });
      if (brandSwitchedOff && !state.unavailableReplySent) {
        // Recorded, not routed; the customer hears why once. Switching the brand on wakes this chat.
        state.unavailableReplySent = true;
        await sendNotice('unavailable', input.policy.unavailableReply ?? DEFAULT_UNAVAILABLE_REPLY);
      }
      // A close or transfer may have landed while the activity ran; it wins.
      if (operatorId && state.status === 'waiting') {
        state.status = 'open';
        state.operatorId = operatorId;
        upsertSearchAttributes([{ key: ConversationStatus, value: 'open' }, { key: OperatorId, value: operatorId }]);
      }
      if (alsoAssigned?.length) await db.wakeConversations({ workflowIds: alsoAssigned });
      // A full batch: more chats behind these may fit.
      if (wakeDepartmentId) await db.wakeQueue({ departmentIds: [wakeDepartmentId] });
      continue;
    }
    if (state.acceptedTypesNoticeDue && !state.acceptedTypesNoticeSent) {
      state.acceptedTypesNoticeSent = true;
      await sendNotice('accepted-types', ACCEPTED_TYPES_NOTICE);
      continue;
    }
    const due = nextClose(state, input.policy);
    if (due && due.at <= Date.now()) {
      await close(due.reason);
      break;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof conversationWorkflow>({ ...input, state });
    }
    const waitMs = Math.min(due ? due.at - Date.now() : Infinity, state.status === 'waiting' ? retryMs : 24 * 3600 * 1000);
    const seen = timelineChanges;
    const woke = await condition(
      () =>
        state.status === 'closed' ||
        (state.status === 'waiting' && wantAssignment) ||
        timelineChanges !== seen ||
        (state.acceptedTypesNoticeDue === true && !state.acceptedTypesNoticeSent) ||
        workflowInfo().continueAsNewSuggested,
      waitMs,
    );
    if (!woke && state.status === 'waiting') wantAssignment = true;
  }
  await condition(allHandlersFinished);
  return state;
}
