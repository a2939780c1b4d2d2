export type EmulatedStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'undelivered' | 'failed';

export interface SentMessage {
  sid: string;
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

import type { EmulatedTemplate } from './emulated-content';
import type { EmulatedAccessRequest } from './emulated-desk';
import type { SenderOutcome, SenderRecord } from './sender-lifecycle';

export interface EmulatorState {
  messages: Map<string, SentMessage>;
  numbers: Map<string, EmulatedNumber>;
  failures: PlannedFailure[];
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
  messages: new Map(),
  numbers: new Map(),
  failures: [],
  media: new Map(),
  templates: new Map(),
  taken: new Set(),
  released: [],
  senders: new Map(),
  senderPlans: new Map(),
  accessRequests: new Map(),
});
