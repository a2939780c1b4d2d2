export type EmulatedStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed';

/** A Twilio account: the main one the emulator starts with, or a subaccount it created (Accounts API). */
export interface EmulatedAccount {
  sid: string;
  authToken: string;
  friendlyName: string;
  /** The main account that owns a subaccount; null for the main account. */
  ownerAccountSid: string | null;
  status: 'active' | 'suspended' | 'closed';
  dateCreated: Date;
}

export interface SentMessage {
  sid: string;
  /** The account that sent it: its status callbacks are signed with that account's token. */
  accountSid: string;
  to: string;
  from: string;
  body: string;
  mediaUrls: string[];
  status: EmulatedStatus;
  statusCallback?: string;
  dateCreated: Date;
  /** Exactly the form fields the SDK sent, for tests to assert on. */
  form: Record<string, string>;
}

export interface EmulatedNumber {
  sid: string;
  /** The account holding it: only that account (or its owner) lists, sends from or releases it. */
  accountSid: string;
  phoneNumber: string;
  whatsappSender: boolean;
  smsUrl?: string;
  smsMethod?: string;
  friendlyName: string;
  /** Bought through the API (not configured): reset() gives it back. */
  purchased?: boolean;
  dateCreated: Date;
}

export interface PlannedFailure {
  to?: string;
  code: number;
  message: string;
  status: number;
  /** How many more sends it answers. */
  remaining: number;
}

export interface EmulatedTemplate {
  sid: string;
  accountSid: string;
  friendlyName: string;
  language: string;
  body: string;
  variables: Record<string, string>;
  status: 'approved' | 'rejected' | 'pending';
  rejectionReason?: string;
  /** The Content API's `types` when not plain text (`{"twilio/text": {body}}`): quick replies, cards… */
  types?: Record<string, Record<string, unknown>>;
}

export interface EmulatedAccessRequest {
  sid: string;
  /** Our request id, and the idempotency key. */
  reference: string;
  businessManagerId?: string;
  businessName?: string;
  website?: string;
  contactEmail?: string;
  contactPhone?: string;
  status: 'pending_review';
  reminders: number;
  dateCreated: Date;
}

/** The statuses of Twilio's WhatsApp Senders API. */
export const SENDER_STATUSES = [
  'CREATING',
  'ONLINE',
  'OFFLINE',
  'PENDING_VERIFICATION',
  'VERIFYING',
  'ONLINE:UPDATING',
  'TWILIO_REVIEW',
  'DRAFT',
  'STUBBED',
] as const;
export type SenderStatus = (typeof SENDER_STATUSES)[number];

export interface SenderReason {
  code: string;
  message: string;
}

/** Where a sender's registration ends (ONLINE unless planned otherwise). */
export interface SenderOutcome {
  status: SenderStatus;
  reason?: SenderReason;
}

export interface EmulatedSender {
  sid: string;
  /** `whatsapp:+E164`. */
  senderId: string;
  /** The WhatsApp Business Account it was registered under (`configuration.waba_id`). */
  wabaId: string | null;
  status: SenderStatus;
  offlineReasons: SenderReason[] | null;
  profileName: string | null;
  callbackUrl: string | null;
  deleted: boolean;
}

export interface SenderRecord extends EmulatedSender {
  accountSid: string;
  phoneNumber: string;
  createdAt: number;
  outcome: SenderOutcome;
  /** Set by setSenderStatus: the clock no longer moves it. */
  frozen: boolean;
  /** It made its number a WhatsApp sender, so it takes that back when it goes offline or away. */
  enabledNumber: boolean;
  configuration: Record<string, unknown>;
  webhook: Record<string, unknown>;
  profile: Record<string, unknown>;
}

export interface EmulatorState {
  /** Every account by SID, the main one included. */
  accounts: Map<string, EmulatedAccount>;
  messages: Map<string, SentMessage>;
  numbers: Map<string, EmulatedNumber>;
  failures: PlannedFailure[];
  /** Answers for the next subaccount creations (Accounts API), in order. */
  accountFailures: PlannedFailure[];
  /** Media of played inbound messages, by path, served to whoever has the account's credentials. */
  media: Map<string, { contentType: string; bytes: Buffer }>;
  templates: Map<string, EmulatedTemplate>;
  /** Numbers someone else bought: neither listed nor for sale. */
  taken: Set<string>;
  released: string[];
  senders: Map<string, SenderRecord>;
  /** By phone number: how the next sender created for it ends. */
  senderPlans: Map<string, SenderOutcome>;
  accessRequests: Map<string, EmulatedAccessRequest>;
  /** While set, accepted messages are recorded but answered only when it resolves (a slow Twilio). */
  hold?: Promise<void>;
}

export const newState = (): EmulatorState => ({
  accounts: new Map(),
  messages: new Map(),
  numbers: new Map(),
  failures: [],
  accountFailures: [],
  media: new Map(),
  templates: new Map(),
  taken: new Set(),
  released: [],
  senders: new Map(),
  senderPlans: new Map(),
  accessRequests: new Map(),
});
