import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { NumberType } from '../domain/number-pricing';
import type { NumberPolicy } from '../domain/policies';
import type { PaymentActivities } from './payment-contract';

/** `number:<orgId>:<e164>`: one number's purchase, sender registration and monthly subscription. */
export const numberWorkflowId = (orgId: string, e164: string) => `number:${orgId}:${e164}`;

export const NUMBER_STATUSES = ['pending', 'active', 'failed', 'released'] as const;
export type NumberStatus = (typeof NUMBER_STATUSES)[number];
export const SUBSCRIPTION_STATES = ['active', 'past_due', 'cancelled'] as const;
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

export interface PendingNumber {
  numberId: string;
  orgId: string;
  e164: string;
  country: string;
  numberType: NumberType;
  monthlyPriceCents: number;
  brandId?: string;
  departmentId?: string;
}

export interface NumberView {
  numberId: string;
  status: NumberStatus;
  provisioningStep: string | null;
  subscriptionState: SubscriptionState | null;
  subscriptionExpiresAt: string | null;
  statusReason: string | null;
}

/** Set once the number is live; each paid period is one run, carried over by continue-as-new. */
export interface Subscription {
  providerSid: string;
  senderSid: string;
  period: number;
  expiresAt: string;
  cancelled: boolean;
}

export interface NumberInput extends PendingNumber {
  /** Shown as the WhatsApp sender's profile name. */
  displayName: string;
  /** The approved Business Manager account the sender is registered under. */
  wabaId: string;
  policy: NumberPolicy;
  subscription?: Subscription;
  view?: NumberView;
}

/** Answers once the number is recorded as pending, so the HTTP caller gets its id. */
export const acceptedUpdate = defineUpdate<NumberView>('accepted');
/** Stops renewal: the number is released when the paid period ends. */
export const cancelUpdate = defineUpdate<NumberView>('cancel');
export const numberStateQuery = defineQuery<NumberView | undefined>('state');

/** The workflow's type name, by which running numbers are found: never rename it. */
export const numberWorkflowType = 'numberWorkflow';
export type NumberWorkflow = (input: NumberInput) => Promise<NumberView | undefined>;

export type SenderState = { status: string; reason: string | null };

export interface NumberActivities extends Pick<PaymentActivities, 'chargeSubscription'> {
  /** Idempotent on the id the API chose; a live row for the same number elsewhere is a conflict. */
  createPendingNumber(input: PendingNumber): Promise<{ view: NumberView } | { conflict: string }>;
  noteNumberProgress(input: {
    numberId: string;
    step: string;
    providerSid?: string;
    senderSid?: string;
  }): Promise<NumberView>;
  /** Paid through `expiresAt`: live for inbound routing (the row's status) and renewing. */
  markNumberPaid(input: { numberId: string; expiresAt: string }): Promise<NumberView>;
  markNumberPastDue(input: { numberId: string; reason: string }): Promise<NumberView>;
  markNumberCancelled(input: { numberId: string }): Promise<NumberView>;
  /** The end of a number: never live (failed) or given back to the provider (released). */
  endNumber(input: { numberId: string; status: 'failed' | 'released'; reason: string }): Promise<NumberView>;
  // Twilio steps act in the organisation's own subaccount, named by `orgId`.
  /** Idempotent on the number: a retry finds it on the account instead of buying twice. */
  buyNumber(input: { orgId: string; e164: string }): Promise<{ providerSid: string } | { unavailable: string }>;
  /** Registers the WhatsApp sender (Senders API); an existing one for the number is reused. */
  registerSender(input: {
    orgId: string;
    e164: string;
    displayName: string;
    wabaId: string;
  }): Promise<{ senderSid: string }>;
  fetchSender(input: { orgId: string; senderSid: string }): Promise<SenderState>;
  /** Gives the number back to Twilio; already gone counts as released. */
  releaseNumber(input: { orgId: string; providerSid: string; senderSid?: string | null }): Promise<void>;
}
