import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import {
  addBusinessAccount,
  businessAccountsOf,
  onboardingRequestById,
  type BusinessAccount,
} from '../../db/queries/onboarding-queries';
import { decideOnboarding } from '../../workflow-client/onboarding-client';
import { ApiError, parse } from '../api-errors';
import { authOf, requireAdmin } from '../auth';
import { ifDuplicate, ifWorkflowMissing } from '../error-responses';
import { idParam } from '../request-schemas';
import { requestView } from '../views/onboarding-view';

const accountBody = z
  .object({
    businessManagerId: z
      .string()
      .trim()
      .regex(/^\d{5,20}$/, 'must be the Business Manager ID: 5 to 20 digits'),
    product: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_-]{1,39}$/, 'must name the product, e.g. "desk" or "crm"'),
    verified: z.boolean(),
  })
  .strict();

const accountView = ({ id, businessManagerId, product, verified, createdAt }: BusinessAccount) => {
  return { id, businessManagerId, product, verified, createdAt };
};

/**
 * The organisation's other products: they record the Business Manager accounts they link, and
 * approve a request to reuse one for WhatsApp (F6).
 */
export function businessAccountsRouter(db: Db, temporal: Client): Router {
  const r = Router();
  r.use(requireAdmin);

  r.post('/', async (req, res) => {
    const body = parse(accountBody, req.body);
    const duplicate = new ApiError(
      409,
      'already_exists',
      `${body.product} already linked Business Manager ${body.businessManagerId}`,
    );
    const account = await addBusinessAccount(db, { orgId: authOf(res).orgId, ...body }).catch(ifDuplicate(duplicate));
    res.status(201).json({ businessAccount: accountView(account) });
  });

  r.get('/', async (_req, res) => {
    res.json({ businessAccounts: (await businessAccountsOf(db, authOf(res).orgId)).map(accountView) });
  });

  r.post('/link-requests/:id/approve', async (req, res) => {
    const { orgId } = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const request = await onboardingRequestById(db, id);
    if (!request || request.orgId !== orgId || request.method !== 'existing')
      throw new ApiError(404, 'not_found', 'Link request not found');
    const decided = new ApiError(409, 'request_not_pending', `The link request is ${request.status}`);
    await decideOnboarding(temporal, orgId, { requestId: id, approved: true }).catch(ifWorkflowMissing(decided));
    res.json({ request: requestView((await onboardingRequestById(db, id))!) });
  });

  return r;
}
