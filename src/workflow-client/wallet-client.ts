import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import type { Wallet } from '../db/queries/wallet-queries';
import { autoRefillSettingsSignal, purchaseUpdate, walletWorkflow, type WalletInput } from '../../workflows/wallet-workflow';
import { OrgId, WalletState } from '../contracts/search-attributes';

export interface WalletPolicy {
  refillAttempts: number;
  refillBackoffSeconds: number;
}

export const walletWorkflowId = (orgId: string) => `wallet:${orgId}`;

function startOptions(wallet: Wallet, taskQueue: string, policy: WalletPolicy) {
  const input: WalletInput = {
    orgId: wallet.orgId,
    settings: { enabled: wallet.autoRefillEnabled, thresholdPoints: wallet.thresholdPoints, refillPoints: wallet.refillPoints },
    ...policy,
  };
  return {
    workflowId: walletWorkflowId(wallet.orgId),
    taskQueue,
    args: [input] as [WalletInput],
    typedSearchAttributes: [
      { key: OrgId, value: wallet.orgId },
      { key: WalletState, value: 'ok' },
    ],
    staticSummary: 'Points wallet: purchases and auto-refill',
  };
}

/** Buys points through the organisation's wallet workflow, starting it if this is the first purchase. */
export function purchasePoints(temporal: Client, taskQueue: string, policy: WalletPolicy, wallet: Wallet, requestKey: string, points: number) {
  return temporal.workflow.executeUpdateWithStart(purchaseUpdate, {
    args: [{ requestKey, points }],
    updateId: `purchase:${requestKey}`,
    startWorkflowOperation: new WithStartWorkflowOperation(walletWorkflow, {
      ...startOptions(wallet, taskQueue, policy),
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}

export async function applyAutoRefillSettings(temporal: Client, taskQueue: string, policy: WalletPolicy, wallet: Wallet): Promise<void> {
  await temporal.workflow.signalWithStart(walletWorkflow, {
    ...startOptions(wallet, taskQueue, policy),
    signal: autoRefillSettingsSignal,
    signalArgs: [{ enabled: wallet.autoRefillEnabled, thresholdPoints: wallet.thresholdPoints, refillPoints: wallet.refillPoints }],
  });
}
