import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { FailureType } from '../src/contracts/failure-types';
import { WalletState } from '../src/contracts/search-attributes';
import {
  autoRefillSettingsSignal,
  lowBalanceSignal,
  purchaseUpdate,
  saveAutoRefillUpdate,
  walletStateQuery,
  type AutoRefillSettings,
  type ChargeOutcome,
  type WalletActivities,
  type WalletInput,
  type WalletRunState,
} from '../src/contracts/wallet-contract';
import { DEFAULT_WALLET_POLICY } from '../src/domain/policies';
import { DATABASE_ACTIVITY, PAYMENT_ACTIVITY } from './activity-options';

const db = proxyActivities<WalletActivities>(DATABASE_ACTIVITY);
// A card that stays unreachable fails the purchase after a few tries rather than keeping the admin waiting.
const gateway = proxyActivities<WalletActivities>({
  ...PAYMENT_ACTIVITY,
  retry: { ...PAYMENT_ACTIVITY.retry, maximumAttempts: 5, nonRetryableErrorTypes: [FailureType.PaymentMethodRequired] },
});

/** One payment: the key is the charge's identity at the gateway and in our ledger. */
async function chargeOnce(
  orgId: string,
  purpose: 'points' | 'refill',
  points: number,
  idempotencyKey: string,
): Promise<ChargeOutcome> {
  const begun = await db.beginCharge({ orgId, idempotencyKey });
  if (begun.outcome === 'recorded') return begun.result;
  if (begun.outcome === 'no_payment_method') return { outcome: 'payment_method_required' };
  const description = `${points} Switchboard points (${purpose})`;
  const result = await gateway.chargeCard({ idempotencyKey, points, token: begun.token, description });
  return db.recordCharge({ orgId, idempotencyKey, purpose, points, result });
}

function showState(value: 'ok' | 'low' | 'refilling' | 'paused'): void {
  upsertSearchAttributes([{ key: WalletState, value }]);
}

export async function walletWorkflow(input: WalletInput): Promise<void> {
  const state: WalletRunState = input.state ?? { settings: input.settings, refillSeq: 0, pausedReason: null };
  let refillWanted = false;
  let saving = false;

  const applySettings = (settings: AutoRefillSettings) => {
    state.settings = settings;
    // Saving the settings again is how an admin resumes a paused auto-refill.
    state.pausedReason = null;
    refillWanted = settings.enabled;
    showState('ok');
  };

  setHandler(walletStateQuery, () => state);
  setHandler(lowBalanceSignal, () => {
    refillWanted = true;
    if (!state.pausedReason) showState('low');
  });
  setHandler(autoRefillSettingsSignal, applySettings);
  setHandler(saveAutoRefillUpdate, async (settings) => {
    // One save at a time, so the row and this run end with the same settings when two admins race.
    await condition(() => !saving);
    saving = true;
    try {
      await db.saveAutoRefillSettings({ orgId: input.orgId, settings });
      applySettings(settings);
    } finally {
      saving = false;
    }
  });
  setHandler(purchaseUpdate, async ({ requestKey, points }) => {
    const result = await chargeOnce(input.orgId, 'points', points, `purchase:${input.orgId}:${requestKey}`);
    if (result.outcome === 'payment_method_required') {
      throw ApplicationFailure.nonRetryable(
        'Add a payment method first (PUT /v1/billing/payment-method)',
        FailureType.PaymentMethodRequired,
      );
    }
    if (result.outcome === 'declined') {
      throw ApplicationFailure.nonRetryable(result.reason, FailureType.PaymentDeclined, { declineCode: result.code });
    }
    return result;
  });

  async function refill(): Promise<void> {
    const attempts = input.refillAttempts ?? DEFAULT_WALLET_POLICY.refillAttempts;
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const key = `refill:${input.orgId}:${state.refillSeq}:${attempt}`;
      const thresholdPoints = state.settings.thresholdPoints;
      const check = await db.refillNeeded({ orgId: input.orgId, idempotencyKey: key, thresholdPoints });
      if (!check.needed) return showState('ok');
      showState('refilling');
      const result = await chargeOnce(input.orgId, 'refill', state.settings.refillPoints, key);
      if (result.outcome === 'charged') {
        state.refillSeq += 1;
        return showState('ok');
      }
      reason = result.outcome === 'declined' ? `${result.reason} (${result.code})` : 'no payment method on file';
      if (result.outcome === 'payment_method_required') break;
      if (attempt < attempts)
        await sleep(
          (input.refillBackoffSeconds ?? DEFAULT_WALLET_POLICY.refillBackoffSeconds) * 1000 * 2 ** (attempt - 1),
        );
    }
    // This refill is over: its keys are spent, so a refill after the admin resumes is charged under new ones.
    state.refillSeq += 1;
    state.pausedReason = `Auto-refill paused after ${attempts} failed attempts: ${reason}`;
    await db.pauseAutoRefill({ orgId: input.orgId, reason: state.pausedReason });
    showState('paused');
  }

  const refillDue = () => refillWanted && state.settings.enabled && !state.pausedReason;
  for (;;) {
    if (refillDue()) {
      refillWanted = false;
      await refill();
      continue;
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof walletWorkflow>({ ...input, state });
    }
    await condition(() => refillDue() || workflowInfo().continueAsNewSuggested, '1 day');
  }
}
