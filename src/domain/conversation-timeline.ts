/**
 * The time rules of a conversation, pure so the workflow and the tests share them: when it closes
 * by itself, and until when WhatsApp lets an operator write freely.
 */
export const CONVERSATION_STATUSES = ['waiting', 'open', 'closed'] as const;
export const CLOSE_REASONS = ['operator', 'unattended_timeout', 'inactive'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export interface ConversationState {
  status: (typeof CONVERSATION_STATUSES)[number];
  operatorId: string | null;
  closeReason: string | null;
  firstInboundAt: string | null;
  /** ISO time of the customer's latest message: WhatsApp's 24-hour window is measured from it. */
  lastInboundAt: string | null;
  lastActivityAt: string | null;
  answered: boolean;
  /** The customer is told once per conversation which attachment types are accepted. */
  acceptedTypesNoticeDue?: boolean;
  acceptedTypesNoticeSent?: boolean;
  /** F15: told once that the brand is not taking messages. */
  unavailableReplySent?: boolean;
}

export interface ConversationPolicy {
  /** F12: closes as unattended_timeout when no operator has answered this long after the first message. */
  unattendedSeconds: number;
  /** Closes as inactive when an answered chat has had no message either way for this long. */
  idleSeconds: number;
  closingNotice: string | null;
  /** F15: the reply to a customer writing while the number's brand is switched off. Absent in older runs. */
  unavailableReply?: string;
}

export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The close the policy calls for next, and when (epoch ms); none before the customer has written. */
export function nextClose(
  state: ConversationState,
  policy: ConversationPolicy,
): { reason: CloseReason; at: number } | undefined {
  if (!state.answered && state.firstInboundAt) {
    return { reason: 'unattended_timeout', at: Date.parse(state.firstInboundAt) + policy.unattendedSeconds * 1000 };
  }
  if (state.answered && state.lastActivityAt) {
    return { reason: 'inactive', at: Date.parse(state.lastActivityAt) + policy.idleSeconds * 1000 };
  }
  return undefined;
}

/** When WhatsApp's customer-service window closes (epoch ms): 24 hours after the customer last wrote. */
export function serviceWindowEnd(state: Pick<ConversationState, 'lastInboundAt'>): number {
  return state.lastInboundAt ? Date.parse(state.lastInboundAt) + CUSTOMER_SERVICE_WINDOW_MS : 0;
}
