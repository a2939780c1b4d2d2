import { defineSignal } from '@temporalio/workflow';
import type { WebhookPolicy } from '../domain/policies';

/** `webhook-endpoint:<endpointId>`: delivers the organisation's events to one endpoint, in log order. */
export const webhookEndpointWorkflowId = (endpointId: string) => `webhook-endpoint:${endpointId}`;

export interface WebhookEndpointInput {
  endpointId: string;
  orgId: string;
  policy: WebhookPolicy;
  /** Carried over by continue-as-new while the endpoint fails: since when, and how many attempts so far. */
  failingSince?: number;
  attempt?: number;
}

/** What one round of delivery came to. */
export type DeliveryRound =
  /** Events delivered (or passed over as not wanted): look again at once. */
  | { outcome: 'delivered'; count: number }
  /** Nothing new arrived while it waited. */
  | { outcome: 'idle' }
  /** The endpoint did not take the event at the head: it is tried again later, and nothing after it first. */
  | { outcome: 'failed'; statusCode: number | null; error: string }
  /** Disabled or deleted: nothing to deliver until an admin enables it. */
  | { outcome: 'stopped' };

/** Enabled again, replayed or changed by an admin: stop waiting out a failure and try now. */
export const endpointChangedSignal = defineSignal('endpointChanged');

/** The workflow's type name: never rename it. */
export const webhookEndpointWorkflowType = 'webhookEndpointWorkflow';
export type WebhookEndpointWorkflow = (input: WebhookEndpointInput) => Promise<void>;

export interface WebhookActivities {
  /**
   * Delivers the endpoint's next events in order until one fails, none is left after a wait for more, or
   * the round has run long enough; each delivered event moves the endpoint's cursor with it.
   */
  deliverWebhooks(input: { endpointId: string }): Promise<DeliveryRound>;
  /** Shown on the delivery at the head: when it is tried next. */
  noteNextAttempt(input: { endpointId: string; nextAttemptAt: string }): Promise<void>;
  disableEndpoint(input: { endpointId: string; reason: string }): Promise<void>;
}
