import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { businessAccountsOf, latestOnboarding } from '../../db/queries/onboarding-queries';
import { liveNumber } from '../../db/queries/number-queries';
import { startOnboarding } from '../../workflow-client/onboarding-client';
import type { OnboardingInput } from '../../contracts/onboarding-contract';
import type { OnboardingPolicy } from '../../domain/policies';
import { authOf, requireAdmin } from '../auth';
import { ApiError, parse } from '../api-errors';
import { e164 } from '../request-schemas';
import { requireConsent } from '../channel-guards';
import { ifAlreadyStarted } from '../error-responses';
import { requestView } from '../views/onboarding-view';

const businessManagerId = z
  .string()
  .trim()
  .regex(/^\d{5,20}$/, 'must be the Business Manager ID: 5 to 20 digits');
export const linkBody = z.object({ businessManagerId }).strict();
export const accessRequestBody = z
  .object({
    businessManagerId,
    businessManagerVerified: z.boolean({
      message: 'confirm that the Business Manager account is verified (true or false)',
    }),
    businessName: z.string().trim().min(1, 'must not be empty').max(120, 'at most 120 characters'),
    website: z.url({ protocol: /^https?$/, message: 'must be the business website, http(s)://…' }),
    contactEmail: z.email({ message: 'must be an e-mail address' }),
    // Only for the provider to reach the business during verification; never the WhatsApp number.
    contactPhone: e164,
    businessAddress: z.string().trim().min(1).max(300).optional(),
  })
  .strict();

/** One request at a time, and none once approved. */
async function requireNoOpenRequest(db: Db, orgId: string) {
  const latest = await latestOnboarding(db, orgId);
  if (latest?.status === 'approved')
    throw new ApiError(409, 'already_approved', 'The Business Manager link is already approved: numbers can be bought');
  if (latest?.status.startsWith('pending')) {
    throw new ApiError(
      409,
      'onboarding_in_progress',
      `Request ${latest.id} is still ${latest.status}; wait for its outcome`,
      { requestId: latest.id },
    );
  }
}

const businessManagerNotVerified = () =>
  new ApiError(
    422,
    'business_manager_not_verified',
    'Verify the Business Manager account in Meta Business Settings first: only verified businesses can use WhatsApp here',
  );

export function onboardingRouter(db: Db, temporal: Client, taskQueue: string, policy: OnboardingPolicy): Router {
  const r = Router();
  r.use(requireAdmin);

  async function start(input: Omit<OnboardingInput, 'requestId' | 'policy'>) {
    const requestId = randomUUID();
    const view = await startOnboarding(temporal, taskQueue, { ...input, requestId, policy }).catch(
      ifAlreadyStarted(new ApiError(409, 'onboarding_in_progress', 'Another onboarding request is in progress')),
    );
    return { ...requestView((await latestOnboarding(db, input.orgId))!), ...view };
  }

  // F6: reuse an account another product of this organisation already linked; that product approves.
  r.post('/link-existing', async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(linkBody, req.body);
    await requireConsent(db, orgId);
    await requireNoOpenRequest(db, orgId);
    const accounts = await businessAccountsOf(db, orgId, body.businessManagerId);
    if (!accounts.length) {
      throw new ApiError(
        404,
        'business_account_not_found',
        `No product of this organisation has linked Business Manager ${body.businessManagerId}. Link it there first, or request access for a new link: POST /v1/whatsapp/channel/access-request`,
      );
    }
    // Meta sends WhatsApp for verified businesses only; an unverified link would be approved for nothing.
    const account = accounts.find((a) => a.verified);
    if (!account) throw businessManagerNotVerified();
    const request = await start({
      orgId,
      method: 'existing',
      businessManagerId: body.businessManagerId,
      businessAccountId: account.id,
    });
    res.status(202).json({
      request,
      next: `Approve the link from ${account.product}: POST /v1/business-accounts/link-requests/${request.requestId}/approve`,
    });
  });

  // F7: a new link is reviewed by the provider's onboarding team.
  r.post('/access-request', async (req, res) => {
    const { orgId } = authOf(res);
    const { businessManagerVerified, businessManagerId: bmId, ...form } = parse(accessRequestBody, req.body);
    await requireConsent(db, orgId);
    if (!businessManagerVerified) throw businessManagerNotVerified();
    if (await liveNumber(db, form.contactPhone, orgId)) {
      throw new ApiError(
        422,
        'contact_phone_is_whatsapp_number',
        'The contact phone is for the provider to reach the business during verification; give a number other than your WhatsApp number',
        {
          fields: [{ field: 'contactPhone', message: 'must not be one of your WhatsApp numbers' }],
        },
      );
    }
    await requireNoOpenRequest(db, orgId);
    const request = await start({ orgId, method: 'access_request', businessManagerId: bmId, form });
    res.status(202).json({ request });
  });

  return r;
}
