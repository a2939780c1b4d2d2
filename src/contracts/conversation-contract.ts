import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CloseReason, ConversationPolicy, ConversationState } from '../domain/conversation-timeline';
import type { MessageStatus } from '../domain/message-status';

export type { CloseReason, ConversationPolicy, ConversationState } from '../domain/conversation-timeline';

export type Channel = 'whatsapp' | 'web' | 'app';

/** `conversation:<numberId | channel>:<customer>:<seq>`: one open conversation per customer per number. */
export const conversationWorkflowId = (place: string, customerAddress: string, seq: number) =>
  `conversation:${place}:${customerAddress}:${seq}`;

export interface ConversationInput {
  conversationId: string;
  orgId: string;
  /** null for website and app visitors (F2): their replies are delivered by us, not Twilio. */
  numberId: string | null;
  /** Absent in runs started before visitors existed: those are WhatsApp. */
  channel?: Channel;
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

/** An outbound message as the workflow and the reply's caller see it. */
export interface OutboundMessage {
  messageId: string;
  from: string;
  to: string;
  status: MessageStatus;
  providerSid: string | null;
  errorCode: string | null;
}

export type ReplyResult = OutboundMessage;

/** The error code of a message Twilio never took before its tries ran out; its credit is refunded. */
export const TWILIO_UNREACHABLE = 'twilio_unreachable';

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

/** The workflow's type name, by which running conversations are found: never rename it. */
export const conversationWorkflowType = 'conversationWorkflow';
export type ConversationWorkflow = (input: ConversationInput) => Promise<ConversationState>;

export interface AssignResult {
  operatorId: string | null;
  /** F15: the number's brand is switched off, so the chat is recorded but not routed. */
  brandSwitchedOff?: boolean;
  /** Workflows of chats assigned in the same go, to be told. */
  alsoAssigned?: string[];
  /** Set when the batch was full: the queue may hold more chats that fit. */
  wakeDepartmentId?: string;
}

export interface Freed {
  /** Departments where a slot may have opened, so their queues should look again. */
  departmentIds: string[];
}

export interface CloseResult extends Freed {
  /** A message newer than the workflow knew arrived as it closed: the chat stays open to answer it. */
  customerWroteAgain?: boolean;
  /** With customerWroteAgain: when the customer last wrote, as stored (its signal may have been lost). */
  latestInboundAt?: string;
}

export interface PrepareOutboundInput extends ReplyRequest {
  conversationId: string;
}

export type PrepareResult =
  | { outcome: 'ready'; message: OutboundMessage; orgId: string; lowBalance: boolean }
  | { outcome: 'insufficient_points'; balanceCredits: number };

/** What Twilio answered to a send (or, for visitors, our own delivery). */
export interface SendResult {
  messageId: string;
  providerSid: string | null;
  status: MessageStatus;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface SendWhatsAppInput {
  messageId: string;
  from: string;
  to: string;
  body: string;
  mediaUrl?: string;
  /** An approved template (Content API), the only way to reach a customer outside the 24-hour window. */
  contentSid?: string;
  contentVariables?: Record<string, string>;
}

/** The activities the conversation workflow calls; `activities/` implements them. */
export interface ConversationActivities {
  assignConversation(input: { conversationId: string }): Promise<AssignResult>;
  /** `lastInboundAt`: the newest customer message the workflow has seen (absent in runs from before it). */
  closeConversation(input: {
    conversationId: string;
    reason: CloseReason;
    lastInboundAt?: string;
  }): Promise<CloseResult>;
  requeueConversation(input: { conversationId: string; departmentId?: string }): Promise<Freed>;
  giveToOperator(input: { conversationId: string; operatorId: string }): Promise<Freed>;
  prepareOutbound(input: PrepareOutboundInput): Promise<PrepareResult>;
  recordSkippedMessage(input: {
    conversationId: string;
    requestId: string;
    body: string;
    reason: string;
  }): Promise<void>;
  recordSendResult(result: SendResult): Promise<OutboundMessage>;
  sendWhatsApp(input: SendWhatsAppInput): Promise<SendResult>;
  wakeQueue(input: { departmentIds: string[] }): Promise<number>;
  wakeConversations(input: { workflowIds: string[] }): Promise<void>;
}
