import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AUTO_REFILL_STATES, LEDGER_KINDS } from '../../db/schema/billing-tables';
import { paymentMethodBody } from '../routes/billing-routes';
import { autoRefillBody, ledgerQuery, purchaseBody, purchaseKey } from '../routes/wallet-routes';
import { answer, id, nextCursor, timestamp } from './common-schemas';
import { describeOperation } from './describe-operation';

const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ description: 'An exact decimal string' });
const balance = answer({ credits: z.int(), points: decimal, usd: decimal }).meta({ id: 'Balance' });
const wallet = answer({
  balance,
  autoRefill: answer({
    enabled: z.boolean(),
    thresholdPoints: z.int(),
    refillPoints: z.int(),
    state: z.enum(AUTO_REFILL_STATES),
    pausedReason: z.string().nullable(),
  }),
}).meta({ id: 'Wallet' });
const ledgerEntry = answer({
  id,
  kind: z.enum(LEDGER_KINDS),
  credits: z.int(),
  points: decimal,
  balanceAfter: balance,
  reference: z.string().nullable(),
  createdAt: timestamp,
}).meta({ id: 'LedgerEntry' });
const paymentMethod = answer({
  paymentMethod: answer({ gateway: z.string(), label: z.string().nullable(), updatedAt: timestamp }),
});

/** F3, F14: the card on file, the points wallet, its ledger, purchases and auto-refill. */
export function describeWallet(registry: OpenAPIRegistry): void {
  const tag = 'Wallet';
  describeOperation(registry, {
    method: 'put',
    path: '/v1/billing/payment-method',
    tag,
    summary: "Put a card on file, as the payment gateway's reference (F3)",
    who: 'admin',
    body: paymentMethodBody,
    answers: { 200: { description: 'The card on file', schema: paymentMethod } },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/billing/payment-method',
    tag,
    summary: 'The card on file',
    who: 'admin',
    answers: { 200: { description: 'The card on file', schema: paymentMethod } },
    errors: { 404: ['not_found'] },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/wallet',
    tag,
    summary: 'The balance, auto-refill, and a page of the ledger, newest first (F14)',
    description: "`before`/`nextBefore` are the ledger's older names for `cursor`/`nextCursor`.",
    who: 'admin',
    query: ledgerQuery,
    answers: {
      200: {
        description: 'The wallet and a page of its ledger',
        schema: answer({ wallet, ledger: z.array(ledgerEntry), nextCursor, nextBefore: nextCursor }),
      },
    },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/wallet/purchases',
    tag,
    summary: 'Buy points with the card on file; a retry with the same Idempotency-Key is charged once (F14)',
    who: 'admin',
    headers: z.object({ 'Idempotency-Key': purchaseKey }),
    body: purchaseBody,
    answers: {
      201: {
        description: 'The purchase, and the wallet after it',
        schema: answer({
          purchase: answer({ paymentId: z.string(), points: z.int(), amountUsd: decimal }),
          wallet,
        }),
      },
    },
    errors: { 402: ['payment_method_required', 'payment_declined'], 422: ['idempotency_key_reused'] },
  });
  describeOperation(registry, {
    method: 'put',
    path: '/v1/wallet/auto-refill',
    tag,
    summary: 'Set auto-refill; saving again resumes a paused one (F14)',
    who: 'admin',
    body: autoRefillBody,
    answers: { 200: { description: 'The wallet', schema: answer({ wallet }) } },
    errors: { 402: ['payment_method_required'] },
  });
}
