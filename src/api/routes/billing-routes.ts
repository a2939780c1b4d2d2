import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { paymentMethodOf, setPaymentMethod } from '../../db/queries/billing-queries';
import { authOf, requireAdmin } from '../auth';
import { notFound, parse } from '../api-errors';

export const paymentMethodBody = z.object({
  // A gateway reference (Stripe PaymentMethod pm_…, or a tok_… test token), never a card number.
  token: z
    .string()
    .regex(/^(pm|tok)_[A-Za-z0-9_]{3,100}$/, 'must be a payment method reference (pm_… or tok_…), never a card number'),
  label: z.string().trim().max(80).optional(),
});

export function billingRouter(db: Db, gatewayName: string): Router {
  const r = Router();
  r.use(requireAdmin);

  r.put('/payment-method', async (req, res) => {
    const body = parse(paymentMethodBody, req.body);
    const method = await setPaymentMethod(db, authOf(res).orgId, {
      gateway: gatewayName,
      token: body.token,
      label: body.label ?? null,
    });
    res.json({ paymentMethod: { gateway: method.gateway, label: method.label, updatedAt: method.updatedAt } });
  });

  r.get('/payment-method', async (_req, res) => {
    const method = await paymentMethodOf(db, authOf(res).orgId);
    if (!method) throw notFound('Payment method');
    res.json({ paymentMethod: { gateway: method.gateway, label: method.label, updatedAt: method.updatedAt } });
  });

  return r;
}
