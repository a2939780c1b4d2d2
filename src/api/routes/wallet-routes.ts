import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { paymentMethodOf } from '../../db/queries/billing-queries';
import { ledgerPage, walletOf, type Wallet } from '../../db/queries/wallet-queries';
import { centsToUsdString } from '../../domain/money';
import { MAX_POINTS, type WalletPolicy } from '../../domain/policies';
import { purchasePoints, saveAutoRefill, type WalletClient } from '../../workflow-client/wallet-client';
import { ApiError, parse } from '../api-errors';
import { idempotencyKey } from '../request-schemas';
import { authOf, requireAdmin } from '../auth';
import { pageCursor, pageQuery } from '../page-query';
import { ledgerEntryView, walletView } from '../views/wallet-view';

export const purchaseBody = z.object({
  points: z.number().int().min(1, 'buy at least 1 point').max(MAX_POINTS, `at most ${MAX_POINTS} points at once`),
});
export const autoRefillBody = z
  .object({
    enabled: z.boolean(),
    thresholdPoints: z.number().int().min(0).max(MAX_POINTS),
    refillPoints: z.number().int().min(1, 'refill at least 1 point').max(MAX_POINTS),
  })
  .refine((b) => !b.enabled || b.thresholdPoints > 0, {
    message: 'a threshold of 0 points would never refill',
    path: ['thresholdPoints'],
  });
export const purchaseKey = z
  .string({ message: 'send an Idempotency-Key header so a retried purchase is charged once' })
  .pipe(idempotencyKey);
// A plain time is a cursor with the smallest id: the page starts strictly before that time, as it always did.
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
export const ledgerQuery = pageQuery
  .extend({
    // The ledger's name for `cursor` from before every list took one; it also takes any ISO 8601 time.
    before: z.union([pageCursor, z.iso.datetime().transform((at) => ({ at, id: NIL_UUID }))]).optional(),
  })
  .refine((q) => !(q.cursor && q.before), { message: 'send cursor or before, not both', path: ['before'] });

const settingsOf = (w: Wallet) => ({
  enabled: w.autoRefillEnabled,
  thresholdPoints: w.thresholdPoints,
  refillPoints: w.refillPoints,
});

/** F14: the points wallet — balance and ledger, purchases and auto-refill, both through `wallet:<orgId>`. */
export function walletRouter(db: Db, temporal: Client, taskQueue: string, policy: WalletPolicy): Router {
  const r = Router();
  const client: WalletClient = { temporal, taskQueue, policy };
  r.use(requireAdmin);

  r.get('/', async (req, res) => {
    const { orgId } = authOf(res);
    const query = parse(ledgerQuery, req.query, 'query');
    const { items, nextCursor } = await ledgerPage(db, orgId, {
      limit: query.limit,
      cursor: query.cursor ?? query.before,
    });
    res.json({
      wallet: walletView(await walletOf(db, orgId)),
      ledger: items.map(ledgerEntryView),
      nextCursor,
      nextBefore: nextCursor,
    });
  });

  r.post('/purchases', async (req, res) => {
    const { orgId } = authOf(res);
    const requestKey = parse(purchaseKey, req.header('idempotency-key'), 'Idempotency-Key header');
    const { points } = parse(purchaseBody, req.body);
    if (!(await paymentMethodOf(db, orgId))) {
      throw new ApiError(402, 'payment_method_required', 'Add a card first: PUT /v1/billing/payment-method');
    }
    const result = await purchasePoints(client, orgId, settingsOf(await walletOf(db, orgId)), { requestKey, points });
    if (result.points !== points) {
      throw new ApiError(
        422,
        'idempotency_key_reused',
        `Idempotency-Key ${requestKey} was used for a purchase of ${result.points} points`,
      );
    }
    res.status(201).json({
      purchase: { paymentId: result.paymentId, points, amountUsd: centsToUsdString(result.amountCents) },
      wallet: walletView(await walletOf(db, orgId)),
    });
  });

  r.put('/auto-refill', async (req, res) => {
    const { orgId } = authOf(res);
    const settings = parse(autoRefillBody, req.body);
    if (settings.enabled && !(await paymentMethodOf(db, orgId))) {
      throw new ApiError(
        402,
        'payment_method_required',
        'Auto-refill charges the card on file: PUT /v1/billing/payment-method first',
      );
    }
    await saveAutoRefill(client, orgId, settings);
    res.json({ wallet: walletView(await walletOf(db, orgId)) });
  });

  return r;
}
