import { WorkflowFailedError, type Client } from '@temporalio/client';
import { OrgId } from '../contracts/search-attributes';
import {
  subaccountWorkflowId,
  subaccountWorkflowType,
  type SubaccountOutcome,
  type SubaccountWorkflow,
} from '../contracts/subaccount-contract';
import { withinDeadline } from './call-deadline';

/** How long consent waits for the subaccount before answering with it still `creating`. */
const WAIT_MS = 5_000;

/**
 * Starts `twilio-subaccount:<orgId>` unless it runs already, and waits a little for its outcome: most
 * consents see their subaccount active at once; during a Twilio outage the answer says `creating`.
 */
export async function openSubaccount(
  temporal: Client,
  taskQueue: string,
  orgId: string,
): Promise<SubaccountOutcome | undefined> {
  const handle = await withinDeadline(temporal, () =>
    temporal.workflow.start<SubaccountWorkflow>(subaccountWorkflowType, {
      workflowId: subaccountWorkflowId(orgId),
      taskQueue,
      args: [{ orgId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [{ key: OrgId, value: orgId }],
      staticSummary: `The organisation's Twilio subaccount`,
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), WAIT_MS)));
  try {
    // A run that failed outright (terminated by an operator, say) leaves it `creating`: consenting again retries.
    const outcome = handle.result().catch((err: unknown) => {
      if (err instanceof WorkflowFailedError) return undefined;
      throw err;
    });
    return await Promise.race([outcome, waited]);
  } finally {
    clearTimeout(timer);
  }
}
