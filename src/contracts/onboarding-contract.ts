import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { OnboardingPolicy } from '../domain/policies';

/** `onboarding:<orgId>`: the Business Manager link, one run per request. */
export const onboardingWorkflowId = (orgId: string) => `onboarding:${orgId}`;

export const ONBOARDING_METHODS = ['existing', 'access_request'] as const;
export type OnboardingMethod = (typeof ONBOARDING_METHODS)[number];
export const ONBOARDING_STATUSES = [
  'pending_link_approval',
  'pending_approval',
  'approved',
  'rejected',
  'expired',
] as const;
export type OnboardingStatus = (typeof ONBOARDING_STATUSES)[number];

/** F7 form fields as submitted; the contact phone is for the provider's verification call only. */
export interface AccessRequestForm {
  businessName: string;
  website: string;
  contactEmail: string;
  contactPhone: string;
  businessAddress?: string;
}

export interface OnboardingInput {
  orgId: string;
  requestId: string;
  method: OnboardingMethod;
  businessManagerId: string;
  businessAccountId?: string;
  form?: AccessRequestForm;
  policy: OnboardingPolicy;
}

export interface Decision {
  requestId: string;
  approved: boolean;
  reason?: string;
  /**
   * The WhatsApp Business Account the approver set up or linked: senders are registered under it (the
   * Senders API's `waba_id`). Every approval carries one; a Business Manager ID is not one.
   */
  wabaId?: string;
}

export interface OnboardingView {
  requestId: string;
  status: OnboardingStatus;
  reason: string | null;
}

export interface NewOnboardingRequest {
  requestId: string;
  orgId: string;
  method: OnboardingMethod;
  businessManagerId: string;
  businessAccountId?: string;
  form?: AccessRequestForm;
  expiresAt: string;
}

/** Answers once the request is recorded, so the HTTP caller gets its id and status. */
export const submittedUpdate = defineUpdate<OnboardingView>('submitted');
/** The other product approving the link (F6), or the provider deciding the access request (F8). */
export const decisionUpdate = defineUpdate<OnboardingView, [Decision]>('decision');
export const onboardingStateQuery = defineQuery<OnboardingView | undefined>('state');

/** The workflow's type name, by which running onboardings are found: never rename it. */
export const onboardingWorkflowType = 'onboardingWorkflow';
export type OnboardingWorkflow = (input: OnboardingInput) => Promise<OnboardingView>;

export interface OnboardingActivities {
  /** Idempotent on the request id, which the API chose before starting the workflow. */
  recordOnboardingRequest(input: NewOnboardingRequest): Promise<OnboardingView>;
  /** `receivedAt` dates the history entry: the desk had the request from then, whatever was recorded since. */
  noteDeskSubmission(input: { requestId: string; deskReference: string; receivedAt?: string }): Promise<void>;
  noteReminder(input: { requestId: string; reminder: number }): Promise<void>;
  /** The request's final status; written once, so a retried activity cannot overwrite a decision. */
  decideOnboarding(input: {
    requestId: string;
    status: 'approved' | 'rejected' | 'expired';
    reason: string | null;
    /** With an approval: the WhatsApp Business Account to register senders under. */
    wabaId?: string;
  }): Promise<OnboardingView>;
  /** Our request id is the desk's idempotency key: a retried submission is the same request. */
  submitAccessRequest(input: {
    requestId: string;
    businessManagerId: string;
    form: AccessRequestForm;
  }): Promise<{ deskReference: string; receivedAt?: string }>;
  remindAccessRequest(input: { deskReference: string }): Promise<void>;
}
