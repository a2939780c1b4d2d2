import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ChargeResult, PaymentActivities } from './payment-contract';

/** `wallet:<orgId>`: the organisation's points wallet (purchases and auto-refill), never ending. */
export const walletWorkflowId = (orgId: string) => `wallet:${orgId}`;

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

export type ChargeOutcome =
  | { outcome: 'charged'; paymentId: string; points: number; amountCents: number; balanceCredits: number }
  | { outcome: 'declined'; code: string; reason: string }
  | { outcome: 'payment_method_required' };

export type BeginCharge =
  | { outcome: 'recorded'; result: ChargeOutcome }
  | { outcome: 'no_payment_method' }
  | { outcome: 'charge'; token: string };

export const lowBalanceSignal = defineSignal('lowBalance');
/** How settings reached runs before `saveAutoRefillUpdate`; its handler stays so their histories replay. */
export const autoRefillSettingsSignal = defineSignal<[AutoRefillSettings]>('autoRefillSettings');
/** Saves the settings (the workflow owns the wallet's auto-refill columns) and resumes a paused auto-refill. */
export const saveAutoRefillUpdate = defineUpdate<void, [AutoRefillSettings]>('saveAutoRefill');
export const purchaseUpdate = defineUpdate<ChargeOutcome & { outcome: 'charged' }, [PurchaseRequest]>('purchase');
export const walletStateQuery = defineQuery<WalletRunState>('state');

/** The workflow's type name, by which running wallets are found: never rename it. */
export const walletWorkflowType = 'walletWorkflow';
export type WalletWorkflow = (input: WalletInput) => Promise<void>;

export interface WalletActivities extends Pick<PaymentActivities, 'chargeCard'> {
  /** A key already charged returns its recorded result: the gateway is asked at most once per key. */
  beginCharge(input: { orgId: string; idempotencyKey: string }): Promise<BeginCharge>;
  recordCharge(input: {
    orgId: string;
    idempotencyKey: string;
    purpose: 'points' | 'refill';
    points: number;
    result: ChargeResult;
  }): Promise<ChargeOutcome>;
  /** Whether a refill is still needed; a key already charged means this refill happened. */
  refillNeeded(input: { orgId: string; idempotencyKey: string; thresholdPoints: number }): Promise<{ needed: boolean }>;
  pauseAutoRefill(input: { orgId: string; reason: string }): Promise<void>;
  saveAutoRefillSettings(input: { orgId: string; settings: AutoRefillSettings }): Promise<void>;
}
