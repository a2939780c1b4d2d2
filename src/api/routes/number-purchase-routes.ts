import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { and, eq, inArray } from 'drizzle-orm';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { paymentMethodOf } from '../../db/queries/billing-queries';
import { approvedOnboarding, latestOnboarding } from '../../db/queries/onboarding-queries';
import { brands, orgs, phoneNumbers } from '../../db/schema';
import { monthlyPrice, NUMBER_TYPES } from '../../domain/number-pricing';
import { updateRefusalToApiError } from '../workflow-failures';
import { cancelNumber, startNumberPurchase } from '../../workflow-client/number-client';
import type { NumberPolicy } from '../../../workflows/number-workflow';
import { availableNumbersWorkflow } from '../../../workflows/available-numbers';
import { authOf, requireAdmin } from '../auth';
import { ApiError, notFound, parse } from '../api-errors';
import { e164, idParam, uuid } from '../request-schemas';
import { requireConsent } from '../channel-guards';
import { checkAssociation, numberView } from './number-routes';

const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 country code such as US');
const type = z.enum(NUMBER_TYPES, { message: `must be one of ${NUMBER_TYPES.join(', ')}` });
const availableQuery = z.object({ country, type, contains: z.string().regex(/^[\d*]{1,10}$/, 'digits (and * wildcards) only').optional() });
const purchaseBody = z
  .object({ phoneNumber: e164, country, type, brandId: uuid.optional(), departmentId: uuid.optional() })
  .strict()
  .refine((b) => !b.brandId === !b.departmentId, { message: 'give both brandId and departmentId, or neither', path: ['departmentId'] });

/** F8/F9: buying needs consent, an approved Business Manager link and a card on file, checked in that order. */
async function requireBuyingAllowed(db: Db, orgId: string) {
  await requireConsent(db, orgId);
  const approved = await approvedOnboarding(db, orgId);
  if (!approved) {
    const latest = await latestOnboarding(db, orgId);
    throw new ApiError(409, 'approval_required', `Buying numbers needs an approved Business Manager link (now: ${latest?.status ?? 'not started'}); see GET /v1/whatsapp/channel`);
  }
  if (!(await paymentMethodOf(db, orgId))) {
    throw new ApiError(402, 'payment_method_required', 'Numbers are paid monthly by card: PUT /v1/billing/payment-method first');
  }
  return approved;
}

export function numberPurchasesRouter(db: Db, temporal: Client, taskQueue: string, policy: NumberPolicy): Router {
  const r = Router();
  r.use(requireAdmin);

  r.get('/available', async (req, res) => {
    const query = parse(availableQuery, req.query, 'query');
    await requireBuyingAllowed(db, authOf(res).orgId);
    const numbers = await temporal.workflow.execute(availableNumbersWorkflow, {
      workflowId: `available-numbers:${authOf(res).orgId}:${randomUUID()}`,
      taskQueue,
      args: [query],
      workflowExecutionTimeout: '30 seconds',
    });
    res.json({ numbers: numbers.map((n) => ({ ...n, type: query.type, monthlyPrice: monthlyPrice(query.type) })) });
  });

  r.post('/', async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(purchaseBody, req.body);
    const approved = await requireBuyingAllowed(db, orgId);
    if (body.brandId && body.departmentId) await checkAssociation(db, orgId, body.brandId, body.departmentId);
    const [live] = await db
      .select({ id: phoneNumbers.id })
      .from(phoneNumbers)
      .where(and(eq(phoneNumbers.e164, body.phoneNumber), inArray(phoneNumbers.status, ['pending', 'active'])));
    if (live) throw new ApiError(409, 'number_already_registered', `${body.phoneNumber} is already registered`);
    const [brand] = body.brandId ? await db.select({ name: brands.name }).from(brands).where(eq(brands.id, body.brandId)) : [];
    const [org] = await db.select({ name: orgs.name }).from(orgs).where(eq(orgs.id, orgId));
    const numberId = randomUUID();
    await startNumberPurchase(temporal, taskQueue, {
      numberId,
      orgId,
      e164: body.phoneNumber,
      country: body.country,
      numberType: body.type,
      monthlyPriceCents: monthlyPrice(body.type).cents,
      brandId: body.brandId,
      departmentId: body.departmentId,
      displayName: brand?.name ?? org!.name,
      wabaId: approved.businessManagerId,
      policy,
    }).catch((err: unknown) => {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ApiError(409, 'number_purchase_in_progress', `${body.phoneNumber} is already being bought`);
      throw updateRefusalToApiError(err);
    });
    res.status(202).json({ number: await numberView(db, numberId), next: 'Follow the purchase in GET /v1/whatsapp/numbers' });
  });

  // F13: stops renewal; the number stays live until the end of the period already paid.
  r.delete('/:id', async (req, res) => {
    const { orgId } = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const [number] = await db.select().from(phoneNumbers).where(and(eq(phoneNumbers.id, id), eq(phoneNumbers.orgId, orgId)));
    if (!number) throw notFound('Number');
    if (number.source !== 'purchased') throw new ApiError(409, 'not_a_subscription', 'This number came from an existing integration; it has no subscription here');
    if (number.status !== 'active') throw new ApiError(409, 'number_not_active', `The number is ${number.status}`);
    await cancelNumber(temporal, orgId, number.e164).catch((err: unknown) => {
      throw updateRefusalToApiError(err);
    });
    res.json({ number: await numberView(db, id) });
  });

  return r;
}
