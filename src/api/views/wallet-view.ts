import type { LedgerEntry, Wallet } from '../../db/queries/wallet-queries';
import { creditsToPointsString, creditsToUsdString } from '../../domain/money';

/** Credits as integers, points and dollars as exact decimal strings. */
export const balanceView = (credits: number) => ({
  credits,
  points: creditsToPointsString(credits),
  usd: creditsToUsdString(credits),
});

export function walletView(w: Wallet) {
  return {
    balance: balanceView(w.balanceCredits),
    autoRefill: {
      enabled: w.autoRefillEnabled,
      thresholdPoints: w.thresholdPoints,
      refillPoints: w.refillPoints,
      state: w.autoRefillState,
      pausedReason: w.autoRefillPausedReason,
    },
  };
}

export const ledgerEntryView = (e: LedgerEntry) => ({
  id: e.id,
  kind: e.kind,
  credits: e.credits,
  points: creditsToPointsString(e.credits),
  balanceAfter: balanceView(e.balanceAfter),
  reference: e.reference,
  createdAt: e.createdAt,
});
