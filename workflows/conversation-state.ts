import type { ConversationState } from '../src/contracts/conversation-contract';

/** A conversation as its customer's first message opens it: waiting for an operator, nothing said yet. */
export const newConversationState = (): ConversationState => ({
  status: 'waiting',
  operatorId: null,
  closeReason: null,
  firstInboundAt: null,
  lastInboundAt: null,
  lastActivityAt: null,
  answered: false,
});
