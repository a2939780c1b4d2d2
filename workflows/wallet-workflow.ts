import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ChargeOutcome } from '../activities/wallet-activities';
import { WalletState } from '../src/contracts/search-attributes';

export interface AutoRefillSettings {
  enabled: boolean;
  thresholdPoints: number;
  refillPoints: number;
}

export interface WalletInput {
  orgId: string;
  settings: AutoRefillSettings;
  /** Declined refills are retried this many times, backing off from `refillBackoffSeconds`, then auto-refill pauses. */
  refillAttempts?: number;
  refillBackoffSeconds?: number;
  /** Carried over by continue-as-new. */
  state?: WalletRunState;
}

export interface WalletRunState {
  settings: AutoRefillSettings;
  /** Numbers refills, so each one's charge has its own idempotency key. */
  refillSeq: number;
  pausedReason: string | null;
}

export interface PurchaseRequest {
  requestKey: string;
  points: number;
}

export const lowBalanceSignal = defineSignal('lowBalance');
export const autoRefillSettingsSignal = defineSignal<[AutoRefillSettings]>('autoRefillSettings');
export const purchaseUpdate = defineUpdate<ChargeOutcome & { outcome: 'charged' }, [PurchaseRequest]>('purchase');
export const walletStateQuery = defineQuery<WalletRunState>('state');

const db = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: { maximumInterval: '10 seconds' } });
const gateway = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  // An unreachable gateway is retried with the same idempotency key, so it cannot charge twice.
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 5, nonRetryableErrorTypes: ['PaymentMethodRequired'] },
});

/** One payment: the key is the charge's identity at the gateway and in our ledger. */
async function chargeOnce(orgId: string, purpose: 'points' | 'refill', points: number, idempotencyKey: string): Promise<ChargeOutcome> {
  const begun = await db.beginCharge({ orgId, idempotencyKey });
  if (begun.outcome === 'recorded') return begun.result;
  if (begun.outcome === 'no_payment_method') return { outcome: 'payment_method_required' };
  const result = await gateway.chargeCard({ idempotencyKey, points, token: begun.token, description: `${points} Switchboard points (${purpose})` });
  return db.recordCharge({ orgId, idempotencyKey, purpose, points, result });
}

export async function walletWorkflow(input: WalletInput): Promise<void> {
  const state: WalletRunState = input.state ?? { settings: input.settings, refillSeq: 0, pausedReason: null };
  let refillWanted = false;

  setHandler(walletStateQuery, () => state);
  setHandler(lowBalanceSignal, () => {
    refillWanted = true;
    if (!state.pausedReason) showState('low');
  });
  setHandler(autoRefillSettingsSignal, (settings) => {
    state.settings = settings;
    // Saving the settings again is how an admin resumes a paused auto-refill.
    state.pausedReason = null;
    refillWanted = settings.enabled;
    showState('ok');
  });
  setHandler(purchaseUpdate, async ({ requestKey, points }) => {
    const result = await chargeOnce(input.orgId, 'points', points, `purchase:${input.orgId}:${requestKey}`);
    if (result.outcome === 'payment_method_required') {
      throw ApplicationFailure.nonRetryable('Add a payment method first (PUT /v1/billing/payment-method)', 'PaymentMethodRequired');
    }
    if (result.outcome === 'declined') {
      throw ApplicationFailure.nonRetryable(result.reason, 'PaymentDeclined', { declineCode: result.code });
    }
    return result;
  });

  function showState(value: 'ok' | 'low' | 'refilling' | 'paused'): void {
    upsertSearchAttributes([{ key: WalletState, value }]);
  }

  async function refill(): Promise<void> {
    const attempts = input.refillAttempts ?? 4;
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const key = `refill:${input.orgId}:${state.refillSeq}:${attempt}`;
      const check = await db.refillNeeded({ orgId: input.orgId, idempotencyKey: key, thresholdPoints: state.settings.thresholdPoints });
      if (!check.needed) return showState('ok');
      showState('refilling');
      const result = await chargeOnce(input.orgId, 'refill', state.settings.refillPoints, key);
      if (result.outcome === 'charged') {
        state.refillSeq += 1;
        return showState('ok');
      }
      reason = result.outcome === 'declined' ? `${result.reason} (${result.code})` : 'no payment method on file';
      if (result.outcome === 'payment_method_required') break;
      if (attempt < attempts) await sleep((input.refillBackoffSeconds ?? 60) * 1000 * 2 ** (attempt - 1));
    }
    state.pausedReason = `Auto-refill paused after ${attempts} failed attempts: ${reason}`;
    await db.pauseAutoRefill({ orgId: input.orgId, reason: state.pausedReason });
    showState('paused');
  }

  for (;;) {
    if (refillWanted && state.settings.enabled && !state.pausedReason) {
      refillWanted = false;
      await refill();
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof walletWorkflow>({ ...input, state });
    }
    await condition(
      () => (refillWanted && state.settings.enabled && !state.pausedReason) || workflowInfo().continueAsNewSuggested,
      '1 day',
    );
  }
}
