import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { OrgId, WalletState } from '../contracts/search-attributes';
import {
  purchaseUpdate,
  saveAutoRefillUpdate,
  walletWorkflowId,
  walletWorkflowType,
  type AutoRefillSettings,
  type WalletInput,
  type WalletWorkflow,
} from '../contracts/wallet-contract';
import type { WalletPolicy } from '../domain/policies';
import { withinDeadline } from './call-deadline';

/** Starts `wallet:<orgId>` with these auto-refill settings if it is not running yet; a running wallet keeps its own. */
function startOperation(orgId: string, settings: AutoRefillSettings, taskQueue: string, policy: WalletPolicy) {
  const input: WalletInput = { orgId, settings, ...policy };
  return new WithStartWorkflowOperation<WalletWorkflow>(walletWorkflowType, {
    workflowId: walletWorkflowId(orgId),
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    typedSearchAttributes: [
      { key: OrgId, value: orgId },
      { key: WalletState, value: 'ok' },
    ],
    staticSummary: 'Points wallet: purchases and auto-refill',
  });
}

export interface WalletClient {
  temporal: Client;
  taskQueue: string;
  policy: WalletPolicy;
}

/** Buys points through the organisation's wallet workflow; the request key makes a retry the same purchase. */
export function purchasePoints(
  { temporal, taskQueue, policy }: WalletClient,
  orgId: string,
  settings: AutoRefillSettings,
  purchase: { requestKey: string; points: number },
) {
  // A 503 after the deadline is safe to retry: the same key is the same update, which the server dedupes.
  return withinDeadline(temporal, () =>
    temporal.workflow.executeUpdateWithStart(purchaseUpdate, {
      args: [purchase],
      updateId: `purchase:${purchase.requestKey}`,
      startWorkflowOperation: startOperation(orgId, settings, taskQueue, policy),
    }),
  );
}

/** Saves auto-refill settings through the wallet workflow, which owns them, and resumes a paused refill. */
export function saveAutoRefill(
  { temporal, taskQueue, policy }: WalletClient,
  orgId: string,
  settings: AutoRefillSettings,
) {
  return withinDeadline(temporal, () =>
    temporal.workflow.executeUpdateWithStart(saveAutoRefillUpdate, {
      args: [settings],
      startWorkflowOperation: startOperation(orgId, settings, taskQueue, policy),
    }),
  );
}
