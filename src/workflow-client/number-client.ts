import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import {
  acceptedUpdate,
  cancelUpdate,
  numberWorkflowId,
  numberWorkflowType,
  type NumberInput,
  type NumberWorkflow,
} from '../contracts/number-contract';
import { NumberId, NumberStatus, OrgId } from '../contracts/search-attributes';
import { withinDeadline } from './call-deadline';

/** Starts `number:<orgId>:<e164>` (purchase, sender, subscription) and waits until it is recorded as pending. */
export function startNumberPurchase(temporal: Client, taskQueue: string, input: NumberInput) {
  return withinDeadline(temporal, () =>
    temporal.workflow.executeUpdateWithStart(acceptedUpdate, {
      updateId: `accepted:${input.numberId}`,
      startWorkflowOperation: new WithStartWorkflowOperation<NumberWorkflow>(numberWorkflowType, {
        workflowId: numberWorkflowId(input.orgId, input.e164),
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        typedSearchAttributes: [
          { key: OrgId, value: input.orgId },
          { key: NumberId, value: input.numberId },
          { key: NumberStatus, value: 'purchasing' },
        ],
        staticSummary: `WhatsApp number ${input.e164} (${input.numberType}, ${input.country}): purchase and monthly subscription`,
      }),
    }),
  );
}

export function cancelNumber(temporal: Client, orgId: string, e164: string) {
  return withinDeadline(temporal, () =>
    temporal.workflow.getHandle(numberWorkflowId(orgId, e164)).executeUpdate(cancelUpdate),
  );
}
