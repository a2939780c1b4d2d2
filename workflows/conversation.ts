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
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { ConversationStatus, OperatorId } from './search-attributes';
import { lowBalanceSignal } from './wallet';

export type ConversationState = {
  status: 'waiting' | 'open' | 'closed';
  operatorId: string | null;
  closeReason: string | null;
  /** ISO time of the customer's latest message: WhatsApp's 24-hour window is measured from it. */
  lastInboundAt: string | null;
  answered: boolean;
};

export interface ConversationInput {
  conversationId: string;
  orgId: string;
  numberId: string;
  /** How often a waiting conversation looks again for a free operator. */
  assignmentRetrySeconds?: number;
  /** Carried over by continue-as-new. */
  state?: ConversationState;
}

export interface InboundNotice {
  messageId: string;
  receivedAt: string;
}

export interface ReplyRequest {
  requestId: string;
  /** null when an admin answers on the desk's behalf. */
  operatorId: string | null;
  body: string;
  mediaUrl?: string;
}

export interface ReplyResult {
  messageId: string;
  status: string;
  providerSid: string | null;
  errorCode: string | null;
}

export interface CloseRequest {
  reason: 'operator';
  closedBy: string;
}

export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export const inboundSignal = defineSignal<[InboundNotice]>('inbound');
export const replyUpdate = defineUpdate<ReplyResult, [ReplyRequest]>('reply');
export const closeUpdate = defineUpdate<ConversationState, [CloseRequest]>('close');
export const stateQuery = defineQuery<ConversationState>('state');

const db = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});
const twilio = proxyActivities<Activities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '30 seconds', maximumAttempts: 8 },
});

export async function conversationWorkflow(input: ConversationInput): Promise<ConversationState> {
  const state: ConversationState = input.state ?? {
    status: 'waiting',
    operatorId: null,
    closeReason: null,
    lastInboundAt: null,
    answered: false,
  };
  let wantAssignment = state.status === 'waiting';

  setHandler(stateQuery, () => state);

  // Another message from the customer changes nothing about who is free, so it does not retry
  // assignment; the retry timer (and later, capacity signals) do.
  setHandler(inboundSignal, ({ receivedAt }) => {
    // Replayed webhooks signal again; taking the latest time keeps this idempotent.
    if (!state.lastInboundAt || receivedAt > state.lastInboundAt) state.lastInboundAt = receivedAt;
  });

  setHandler(
    replyUpdate,
    async (request) => {
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
      if (message.providerSid || message.status === 'failed') return message;
      const sent = await twilio.sendWhatsApp({ ...message, body: request.body, mediaUrl: request.mediaUrl });
      const recorded = await db.recordSendResult(sent);
      if (recorded.status !== 'failed') state.answered = true;
      return recorded;
    },
    {
      validator: (_request: ReplyRequest) => {
        if (state.status === 'closed') {
          throw ApplicationFailure.nonRetryable('The conversation is closed', 'ConversationClosed');
        }
        const windowEnd = state.lastInboundAt ? Date.parse(state.lastInboundAt) + CUSTOMER_SERVICE_WINDOW_MS : 0;
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

  setHandler(
    closeUpdate,
    async () => {
      await db.closeConversation({ conversationId: input.conversationId, reason: 'operator' });
      markClosed('operator');
      return state;
    },
    {
      validator: (_request: CloseRequest) => {
        if (state.status === 'closed') throw ApplicationFailure.nonRetryable('The conversation is already closed', 'ConversationClosed');
      },
    },
  );

  function markClosed(reason: string): void {
    state.status = 'closed';
    state.closeReason = reason;
    upsertSearchAttributes([{ key: ConversationStatus, value: 'closed' }]);
  }

  const retryMs = (input.assignmentRetrySeconds ?? 15) * 1000;
  while (state.status !== 'closed') {
    if (state.status === 'waiting' && wantAssignment) {
      wantAssignment = false;
      const { operatorId } = await db.assignConversation({ conversationId: input.conversationId });
      // A close may have landed while the activity ran; it wins.
      if (operatorId && state.status === 'waiting') {
        state.status = 'open';
        state.operatorId = operatorId;
        upsertSearchAttributes([
          { key: ConversationStatus, value: 'open' },
          { key: OperatorId, value: operatorId },
        ]);
      }
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof conversationWorkflow>({ ...input, state });
    }
    const waiting = state.status === 'waiting';
    const woke = await condition(
      () => state.status === 'closed' || (state.status === 'waiting' && wantAssignment) || workflowInfo().continueAsNewSuggested,
      waiting ? retryMs : '1 day',
    );
    if (!woke && waiting) wantAssignment = true;
  }
  await condition(allHandlersFinished);
  return state;
}
