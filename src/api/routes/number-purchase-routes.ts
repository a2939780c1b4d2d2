import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { paymentMethodOf } from '../../db/queries/billing-queries';
import { senderDisplayName } from '../../db/queries/directory-queries';
import { liveNumber, numberOfOrg } from '../../db/queries/number-queries';
import { approvedOnboarding, latestOnboarding } from '../../db/queries/onboarding-queries';
import { monthlyPrice, NUMBER_TYPES } from '../../domain/number-pricing';
import type { NumberPolicy } from '../../domain/policies';
import type { TenantAccounts } from '../../providers/twilio/sealed-credentials';
import { createTwilioCatalog } from '../../providers/twilio/twilio-catalog';
import { cancelNumber, startNumberPurchase } from '../../workflow-client/number-client';
import { ApiError, notFound, parse } from '../api-errors';
import { authOf, requireAdmin } from '../auth';
import { checkAssociation, requireConsent, requireTwilioAccount } from '../channel-guards';
import { ifAlreadyStarted, ifWorkflowMissing } from '../error-responses';
import { e164, idParam, uuid } from '../request-schemas';
import { numberViewById } from '../views/number-view';

const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 country code such as US');
const type = z.enum(NUMBER_TYPES, { message: `must be one of ${NUMBER_TYPES.join(', ')}` });
export const availableQuery = z.object({
  country,
  type,
  contains: z
    .string()
    .regex(/^[\d*]{1,10}$/, 'digits (and * wildcards) only')
    .optional(),
});
export const purchaseBody = z
  .object({ phoneNumber: e164, country, type, brandId: uuid.optional(), departmentId: uuid.optional() })
  .strict()
  .refine((b) => !b.brandId === !b.departmentId, {
    message: 'give both brandId and departmentId, or neither',
    path: ['departmentId'],
  });

/**
 * F8/F9: buying needs consent, an approved Business Manager link, a card on file and the organisation's
 * subaccount (where the number will live), checked in that order.
 */
async function requireBuyingAllowed(db: Db, accounts: TenantAccounts, orgId: string) {
  await requireConsent(db, orgId);
  const approved = await approvedOnboarding(db, orgId);
  if (!approved?.wabaId) {
    const status = (await latestOnboarding(db, orgId))?.status ?? 'not started';
    const message = `Buying numbers needs an approved Business Manager link (now: ${status}); see GET /v1/whatsapp/channel`;
    throw new ApiError(409, 'approval_required', message);
  }
  if (!(await paymentMethodOf(db, orgId))) {
    throw new ApiError(
      402,
      'payment_method_required',
      'Numbers are paid monthly by card: PUT /v1/billing/payment-method first',
    );
  }
  return { wabaId: approved.wabaId, account: await requireTwilioAccount(db, accounts, orgId) };
}

/** F9/F13: numbers for sale, buying one (a `number:<orgId>:<e164>` workflow), and cancelling its subscription. */
export function numberPurchasesRouter(
  db: Db,
  temporal: Client,
  accounts: TenantAccounts,
  taskQueue: string,
  policy: NumberPolicy,
): Router {
  const r = Router();
  r.use(requireAdmin);

  r.get('/available', async (req, res) => {
    const query = parse(availableQuery, req.query, 'query');
    const { account } = await requireBuyingAllowed(db, accounts, authOf(res).orgId);
    const numbers = await createTwilioCatalog(account).listAvailableNumbers(query);
    res.json({ numbers: numbers.map((n) => ({ ...n, type: query.type, monthlyPrice: monthlyPrice(query.type) })) });
  });

  r.post('/', async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(purchaseBody, req.body);
    const { wabaId } = await requireBuyingAllowed(db, accounts, orgId);
    if (body.brandId && body.departmentId) await checkAssociation(db, orgId, body.brandId, body.departmentId);
    if (await liveNumber(db, body.phoneNumber))
      throw new ApiError(409, 'number_already_registered', `${body.phoneNumber} is already registered`);
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
      displayName: await senderDisplayName(db, orgId, body.brandId),
      wabaId,
      policy,
    }).catch(
      ifAlreadyStarted(new ApiError(409, 'number_purchase_in_progress', `${body.phoneNumber} is already being bought`)),
    );
    res
      .status(202)
      .json({ number: await numberViewById(db, numberId), next: 'Follow the purchase in GET /v1/whatsapp/numbers' });
  });

  // F13: stops renewal; the number stays live until the end of the period already paid.
  r.delete('/:id', async (req, res) => {
    const { orgId } = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const number = await numberOfOrg(db, orgId, id);
    if (!number) throw notFound('Number');
    if (number.source !== 'purchased')
      throw new ApiError(
        409,
        'not_a_subscription',
        'This number came from an existing integration; it has no subscription here',
      );
    if (number.status !== 'active') throw new ApiError(409, 'number_not_active', `The number is ${number.status}`);
    const ended = new ApiError(409, 'number_not_active', 'The number is no longer renewing');
    await cancelNumber(temporal, orgId, number.e164).catch(ifWorkflowMissing(ended));
    res.json({ number: await numberViewById(db, id) });
  });

  return r;
}
