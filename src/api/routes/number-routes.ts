import type { Client } from '@temporalio/client';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { isDepartmentLinkedToBrand, unknownBrands, unknownDepartments } from '../../db/queries/directory-queries';
import { brands, conversations, numberBrandSwitches, phoneNumbers } from '../../db/schema';
import { wakeSignal } from '../../../workflows/conversation-workflow';
import { authOf, requireAdmin } from '../auth';
import { ApiError, isUniqueViolation, notFound, parse } from '../api-errors';
import { requireConsent } from '../channel-guards';
import { LIMITS } from './settings-routes';
import { centsToUsdString } from '../../domain/money';
import { e164, idParam, uuid } from '../request-schemas';

const existingBody = z.object({ phoneNumber: e164, brandId: uuid, departmentId: uuid });
const associationBody = z.object({ brandId: uuid, departmentId: uuid });

/**
 * F13/F15: numbers as the numbers page shows them — subscription, where provisioning is, and each
 * brand with its switch (no switch row means on) — in one query however many numbers there are.
 */
export async function numberViews(db: Db, where: SQL) {
  const rows = await db
    .select({ number: phoneNumbers, brandName: brands.name, enabled: numberBrandSwitches.enabled })
    .from(phoneNumbers)
    .leftJoin(brands, eq(brands.id, phoneNumbers.brandId))
    .leftJoin(numberBrandSwitches, and(eq(numberBrandSwitches.numberId, phoneNumbers.id), eq(numberBrandSwitches.brandId, phoneNumbers.brandId)))
    .where(where)
    .orderBy(asc(phoneNumbers.createdAt));
  return rows.map(({ number: n, brandName, enabled }) => ({
    ...n,
    phoneNumber: n.e164,
    subscription:
      n.source === 'purchased'
        ? {
            state: n.subscriptionState,
            expiresAt: n.subscriptionExpiresAt,
            monthlyPriceUsd: n.monthlyPriceCents === null ? null : centsToUsdString(n.monthlyPriceCents),
            renewsAutomatically: n.status === 'active' && n.subscriptionState !== 'cancelled',
          }
        : null,
    brands: n.brandId && brandName !== null ? [{ brandId: n.brandId, name: brandName, enabled: enabled ?? true }] : [],
  }));
}

export const numberView = async (db: Db, numberId: string) => (await numberViews(db, eq(phoneNumbers.id, numberId)))[0]!;

const limitsBody = z
  .object({
    chatCloseLimitSeconds: z.number().int().min(LIMITS.chatCloseLimitSeconds.min).max(LIMITS.chatCloseLimitSeconds.max).nullable().optional(),
    idleCloseSeconds: z.number().int().min(LIMITS.idleCloseSeconds.min).max(LIMITS.idleCloseSeconds.max).nullable().optional(),
  })
  .strict();

/** Both must be this organisation's, and the department must serve the brand. */
export async function checkAssociation(db: Db, orgId: string, brandId: string, departmentId: string) {
  if ((await unknownBrands(db, orgId, [brandId])).length) throw new ApiError(404, 'brand_not_found', `Unknown brand ${brandId}`);
  if ((await unknownDepartments(db, orgId, [departmentId])).length) {
    throw new ApiError(404, 'department_not_found', `Unknown department ${departmentId}`);
  }
  if (!(await isDepartmentLinkedToBrand(db, departmentId, brandId))) {
    throw new ApiError(422, 'department_not_linked_to_brand', 'The department does not serve this brand; link them first');
  }
}

export function numbersRouter(db: Db, temporal: Client): Router {
  const r = Router();
  r.use(requireAdmin);

  // Existing integrations keep working: a sender already live on the Twilio account is adopted as is.
  r.post('/existing', async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(existingBody, req.body);
    await requireConsent(db, orgId);
    await checkAssociation(db, orgId, body.brandId, body.departmentId);
    const [number] = await db
      .insert(phoneNumbers)
      .values({ orgId, e164: body.phoneNumber, source: 'existing', status: 'active', brandId: body.brandId, departmentId: body.departmentId })
      .returning()
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new ApiError(409, 'number_already_registered', `${body.phoneNumber} is already registered`);
        throw err;
      });
    res.status(201).json({ number });
  });

  // Overrides of the organisation's close limits for one number (null: inherit again).
  r.patch('/:id/limits', async (req, res) => {
    const { orgId } = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(limitsBody, req.body);
    const [number] = await db
      .update(phoneNumbers)
      .set(body)
      .where(and(eq(phoneNumbers.id, id), eq(phoneNumbers.orgId, orgId)))
      .returning();
    if (!number) throw notFound('Number');
    res.json({ number });
  });

  // F10: new conversations on the number go to this brand and department.
  r.put('/:id/association', async (req, res) => {
    const { orgId } = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(associationBody, req.body);
    await checkAssociation(db, orgId, body.brandId, body.departmentId);
    const [number] = await db
      .update(phoneNumbers)
      .set({ brandId: body.brandId, departmentId: body.departmentId })
      .where(and(eq(phoneNumbers.id, id), eq(phoneNumbers.orgId, orgId)))
      .returning();
    if (!number) throw notFound('Number');
    res.json({ number, appliesTo: 'conversations that start from now on' });
  });

  // F15: switching a brand off keeps recording its customers' messages but routes none of them.
  r.patch('/:id/brands/:brandId', async (req, res) => {
    const { orgId } = authOf(res);
    const { id, brandId } = parse(z.object({ id: uuid, brandId: uuid }), req.params, 'path');
    const { enabled } = parse(z.object({ enabled: z.boolean() }), req.body);
    const [number] = await db.select().from(phoneNumbers).where(and(eq(phoneNumbers.id, id), eq(phoneNumbers.orgId, orgId)));
    if (!number) throw notFound('Number');
    if (number.brandId !== brandId) throw new ApiError(404, 'brand_not_on_number', 'This brand is not associated with the number');
    await db
      .insert(numberBrandSwitches)
      .values({ numberId: id, brandId, enabled })
      .onConflictDoUpdate({ target: [numberBrandSwitches.numberId, numberBrandSwitches.brandId], set: { enabled, updatedAt: new Date() } });
    if (enabled) {
      const waiting = await db
        .select({ workflowId: conversations.workflowId })
        .from(conversations)
        .where(and(eq(conversations.numberId, id), eq(conversations.brandId, brandId), eq(conversations.status, 'waiting')));
      await Promise.all(waiting.map((c) => temporal.workflow.getHandle(c.workflowId).signal(wakeSignal).catch(() => undefined)));
    }
    res.json({ brands: (await numberView(db, id)).brands });
  });

  r.get('/', async (_req, res) => {
    res.json({ numbers: await numberViews(db, eq(phoneNumbers.orgId, authOf(res).orgId)) });
  });

  return r;
}
