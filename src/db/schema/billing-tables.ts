import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import { orgId, orgIdKey } from './org-tables';

/** F3: the card on file, as the gateway's reference; card numbers never reach us. */
export const paymentMethods = pgTable('payment_methods', {
  orgId: orgIdKey(),
  gateway: text('gateway').notNull(),
  token: text('token').notNull(),
  label: text('label'),
  updatedAt: updatedAt(),
});

export const AUTO_REFILL_STATES = ['off', 'idle', 'refilling', 'paused'] as const;

/** Balance in integer credits (1 credit = 1 message = USD 0.005; 1 point = 400 credits). */
export const wallets = pgTable(
  'wallets',
  {
    orgId: orgIdKey(),
    balanceCredits: bigint('balance_credits', { mode: 'number' }).notNull().default(0),
    autoRefillEnabled: boolean('auto_refill_enabled').notNull().default(false),
    thresholdPoints: integer('threshold_points').notNull().default(0),
    refillPoints: integer('refill_points').notNull().default(0),
    autoRefillState: text('auto_refill_state', { enum: AUTO_REFILL_STATES }).notNull().default('off'),
    autoRefillPausedReason: text('auto_refill_paused_reason'),
    updatedAt: updatedAt(),
  },
  (t) => [check('wallets_balance_not_negative', sql`${t.balanceCredits} >= 0`)],
);

export const LEDGER_KINDS = ['purchase', 'refill', 'message_debit', 'refund', 'adjustment'] as const;

/** Append-only. Each business event has one key, so retrying it cannot post it twice. */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: id(),
    orgId: orgId(),
    kind: text('kind', { enum: LEDGER_KINDS }).notNull(),
    credits: bigint('credits', { mode: 'number' }).notNull(),
    balanceAfter: bigint('balance_after', { mode: 'number' }).notNull(),
    idempotencyKey: text('idempotency_key').notNull().unique(),
    reference: text('reference'),
    createdAt: createdAt(),
  },
  (t) => [index('ledger_org_created_idx').on(t.orgId, t.createdAt)],
);

/** Every charge attempt at the gateway, keyed like the gateway's own idempotency key. */
export const payments = pgTable('payments', {
  id: id(),
  orgId: orgId(),
  idempotencyKey: text('idempotency_key').notNull().unique(),
  purpose: text('purpose', { enum: ['points', 'refill', 'subscription'] }).notNull(),
  amountCents: integer('amount_cents').notNull(),
  status: text('status', { enum: ['succeeded', 'declined'] }).notNull(),
  gatewayReference: text('gateway_reference'),
  declineCode: text('decline_code'),
  declineReason: text('decline_reason'),
  createdAt: createdAt(),
});
