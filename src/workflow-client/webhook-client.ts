import type { Client } from '@temporalio/client';
import { OrgId } from '../contracts/search-attributes';
import {
  endpointChangedSignal,
  webhookEndpointWorkflowId,
  webhookEndpointWorkflowType,
  type WebhookEndpointInput,
  type WebhookEndpointWorkflow,
} from '../contracts/webhook-contract';
import { withinDeadline } from './call-deadline';

/**
 * Starts the endpoint's delivery if it is not running, and wakes it if it is (enabled again, replayed,
 * changed): one signal-with-start, so no change can fall between a check and a start.
 */
export function deliverToEndpoint(temporal: Client, taskQueue: string, input: WebhookEndpointInput) {
  return withinDeadline(temporal, () =>
    temporal.workflow.signalWithStart<WebhookEndpointWorkflow>(webhookEndpointWorkflowType, {
      workflowId: webhookEndpointWorkflowId(input.endpointId),
      taskQueue,
      args: [input],
      signal: endpointChangedSignal,
      typedSearchAttributes: [{ key: OrgId, value: input.orgId }],
      staticSummary: `Outbound webhook deliveries to endpoint ${input.endpointId}`,
    }),
  );
}
