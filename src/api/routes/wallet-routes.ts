import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { paymentMethodOf } from '../../db/queries/billing-queries';
import { ledgerPage, walletOf, type LedgerEntry, type Wallet } from '../../db/queries/wallet-queries';
import { wallets } from '../../db/schema';
import { centsToUsdString, creditsToPointsString, creditsToUsdString } from '../../domain/money';
import { updateRefusalToApiError } from '../workflow-failures';
import { applyAutoRefillSettings, purchasePoints, type WalletPolicy } from '../../workflow-client/wallet-client';
import { authOf, requireAdmin } from '../auth';
import { ApiError, parse } from '../api-errors';

const MAX_POINTS = 100_000;
const purchaseBody = z.object({ points: z.number().int().min(1, 'buy at least 1 point').max(MAX_POINTS, `at most ${MAX_POINTS} points at once`) });
const idempotencyKey = z.string({ message: 'send an Idempotency-Key header so a retried purchase is charged once' }).regex(/^[\w.:-]{8,128}$/, '8-128 letters, digits, _ . : -');
const autoRefillBody = z
  .object({
    enabled: z.boolean(),
    thresholdPoints: z.number().int().min(0).max(MAX_POINTS),
    refillPoints: z.number().int().min(1, 'refill at least 1 point').max(MAX_POINTS),
  })
  .refine((b) => !b.enabled || b.thresholdPoints > 0, { message: 'a threshold of 0 points would never refill', path: ['thresholdPoints'] });
const ledgerQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50), before: z.iso.datetime().optional() });

const balanceView = (credits: number) => ({ credits, points: creditsToPointsString(credits), usd: creditsToUsdString(credits) });

function walletView(w: Wallet) {
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

const entryView = (e: LedgerEntry) => ({
  id: e.id,
  kind: e.kind,
  credits: e.credits,
  points: creditsToPointsString(e.credits),
  balanceAfter: balanceView(e.balanceAfter),
  reference: e.reference,
  createdAt: e.createdAt,
});

export function walletRouter(db: Db, temporal: Client, taskQueue: string, policy: WalletPolicy): Router {
  const r = Router();
  r.use(requireAdmin);

  r.get('/', async (req, res) => {
    const { orgId } = authOf(res);
    const query = parse(ledgerQuery, req.query, 'query');
    const entries = await ledgerPage(db, orgId, { limit: query.limit, before: query.before ? new Date(query.before) : undefined });
    const last = entries.at(-1);
    res.json({
      wallet: walletView(await walletOf(db, orgId)),
      ledger: entries.map(entryView),
      nextBefore: entries.length === query.limit && last ? last.createdAt.toISOString() : null,
    });
  });

  r.post('/purchases', async (req, res) => {
    const { orgId } = authOf(res);
    const key = parse(idempotencyKey, req.header('idempotency-key'), 'Idempotency-Key header');
    const { points } = parse(purchaseBody, req.body);
    if (!(await paymentMethodOf(db, orgId))) {
      throw new ApiError(402, 'payment_method_required', 'Add a card first: PUT /v1/billing/payment-method');
    }
    const result = await purchasePoints(temporal, taskQueue, policy, await walletOf(db, orgId), key, points).catch((err: unknown) => {
      throw updateRefusalToApiError(err);
    });
    if (result.points !== points) {
      throw new ApiError(422, 'idempotency_key_reused', `Idempotency-Key ${key} was used for a purchase of ${result.points} points`);
    }
    res.status(201).json({
      purchase: { paymentId: result.paymentId, points, amountUsd: centsToUsdString(result.amountCents) },
      wallet: walletView(await walletOf(db, orgId)),
    });
  });

  r.put('/auto-refill', async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(autoRefillBody, req.body);
    if (body.enabled && !(await paymentMethodOf(db, orgId))) {
      throw new ApiError(402, 'payment_method_required', 'Auto-refill charges the card on file: PUT /v1/billing/payment-method first');
    }
    await walletOf(db, orgId);
    const [wallet] = await db
      .update(wallets)
      .set({
        autoRefillEnabled: body.enabled,
        thresholdPoints: body.thresholdPoints,
        refillPoints: body.refillPoints,
        autoRefillState: body.enabled ? 'idle' : 'off',
        autoRefillPausedReason: null,
        updatedAt: new Date(),
      })
      .where(eq(wallets.orgId, orgId))
      .returning();
    await applyAutoRefillSettings(temporal, taskQueue, policy, wallet!);
    res.json({ wallet: walletView(wallet!) });
  });

  return r;
}
