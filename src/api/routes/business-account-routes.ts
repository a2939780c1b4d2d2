import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import {
  addBusinessAccount,
  addIntegrationKey,
  businessAccountById,
  businessAccountsPage,
  integrationKeysPage,
  onboardingRequestById,
  revokeIntegrationKey,
  type BusinessAccount,
  type IntegrationKey,
} from '../../db/queries/onboarding-queries';
import { decideOnboarding } from '../../workflow-client/onboarding-client';
import { generateIntegrationKey } from '../api-keys';
import { ApiError, notFound, parse } from '../api-errors';
import { authenticateIntegration, authOf, integrationOf, requireAdmin } from '../auth';
import { ifDuplicate, ifWorkflowMissing } from '../error-responses';
import { pageQuery } from '../page-query';
import { idParam, wabaId } from '../request-schemas';
import { requestView } from '../views/onboarding-view';

const product = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{1,39}$/, 'must name the product, e.g. "desk" or "crm"');

export const accountBody = z
  .object({
    businessManagerId: z
      .string()
      .trim()
      .regex(/^\d{5,20}$/, 'must be the Business Manager ID: 5 to 20 digits'),
    // Implied by the integration key; accepted when it says the same.
    product: product.optional(),
    verified: z.boolean(),
  })
  .strict();

export const keyBody = z.object({ product }).strict();
/** The approving product names the WhatsApp Business Account it linked: senders are registered under it. */
export const linkApprovalBody = z.object({ wabaId }).strict();

const accountView = ({ id, businessManagerId, product, verified, createdAt }: BusinessAccount) => {
  return { id, businessManagerId, product, verified, createdAt };
};
const keyView = ({ id, product, keyPrefix, createdAt, revokedAt }: IntegrationKey) => {
  return { id, product, prefix: keyPrefix, createdAt, revokedAt };
};

/**
 * What the organisation's other products do, each with its own integration key (F6): record the Business
 * Manager accounts they link, and approve a request to reuse one of theirs for WhatsApp.
 */
export function productRouter(db: Db, temporal: Client): Router {
  const r = Router();
  const asProduct = authenticateIntegration(db);

  r.post('/', asProduct, async (req, res) => {
    const { orgId, product } = integrationOf(res);
    const body = parse(accountBody, req.body);
    if (body.product && body.product !== product) {
      throw new ApiError(403, 'forbidden', `This integration key is ${product}'s, not ${body.product}'s`);
    }
    const duplicate = new ApiError(
      409,
      'already_exists',
      `${product} already linked Business Manager ${body.businessManagerId}`,
    );
    const account = await addBusinessAccount(db, { orgId, ...body, product }).catch(ifDuplicate(duplicate));
    res.status(201).json({ businessAccount: accountView(account) });
  });

  r.post('/link-requests/:id/approve', asProduct, async (req, res) => {
    const { orgId, product } = integrationOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const request = await onboardingRequestById(db, id);
    if (!request || request.orgId !== orgId || request.method !== 'existing') throw notFound('Link request');
    const account = request.businessAccountId ? await businessAccountById(db, request.businessAccountId) : undefined;
    if (account?.product !== product) {
      const owner = account?.product ?? 'another product';
      throw new ApiError(403, 'forbidden', `Only ${owner}, which linked this Business Manager account, may approve`);
    }
    const approval = parse(linkApprovalBody, req.body ?? {});
    const decided = new ApiError(409, 'request_not_pending', `The link request is ${request.status}`);
    const decision = { requestId: id, approved: true, wabaId: approval.wabaId };
    await decideOnboarding(temporal, orgId, decision).catch(ifWorkflowMissing(decided));
    res.json({ request: requestView((await onboardingRequestById(db, id))!) });
  });

  return r;
}

/** What admins see of the products' accounts, and the integration keys they issue to them. */
export function businessAccountsRouter(db: Db): Router {
  const r = Router();
  r.use(requireAdmin);

  r.get('/', async (req, res) => {
    const page = parse(pageQuery, req.query, 'query');
    const { items, nextCursor } = await businessAccountsPage(db, authOf(res).orgId, page);
    res.json({ businessAccounts: items.map(accountView), nextCursor });
  });

  r.post('/integration-keys', async (req, res) => {
    const body = parse(keyBody, req.body);
    const { key, stored } = generateIntegrationKey();
    const row = await addIntegrationKey(db, {
      orgId: authOf(res).orgId,
      product: body.product,
      keyHash: stored.hash,
      keyPrefix: stored.prefix,
    });
    // Shown this once; only its digest is kept.
    res.status(201).json({ integrationKey: { ...keyView(row), key } });
  });

  r.get('/integration-keys', async (req, res) => {
    const page = parse(pageQuery, req.query, 'query');
    const { items, nextCursor } = await integrationKeysPage(db, authOf(res).orgId, page);
    res.json({ integrationKeys: items.map(keyView), nextCursor });
  });

  r.delete('/integration-keys/:id', async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    if (!(await revokeIntegrationKey(db, authOf(res).orgId, id))) throw notFound('Integration key');
    res.status(204).end();
  });

  return r;
}
