import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { onboardingRequestById } from '../../db/queries/onboarding-queries';
import { ifWorkflowMissing } from '../error-responses';
import { decideOnboarding } from '../../workflow-client/onboarding-client';
import { requireBearerSecret } from '../auth';
import { ApiError, parse } from '../api-errors';
import { idParam, wabaId } from '../request-schemas';
import { requestView } from '../views/onboarding-view';

export const decisionBody = z
  .object({
    decision: z.enum(['approved', 'rejected']),
    reason: z.string().trim().min(1).max(500).optional(),
    wabaId: wabaId.optional(),
  })
  .strict()
  .refine((b) => b.decision === 'approved' || b.reason, {
    message: 'a rejection needs a reason the business can act on',
    path: ['reason'],
  })
  .refine((b) => b.decision === 'rejected' || b.wabaId, {
    message: 'an approval carries the WhatsApp Business Account the provider set up: its senders are registered there',
    path: ['wabaId'],
  });

/** The provider's onboarding team deciding an access request (F8), authenticated by its own secret. */
export function providerRouter(db: Db, temporal: Client, secret: string | undefined): Router {
  const r = Router();
  r.post(
    '/access-requests/:id/decision',
    requireBearerSecret(secret, 'SWITCHBOARD_PROVIDER_SECRET', 'provider_disabled'),
    async (req, res) => {
      const { id } = parse(idParam, req.params, 'path');
      const body = parse(decisionBody, req.body);
      const request = await onboardingRequestById(db, id);
      if (!request || request.method !== 'access_request')
        throw new ApiError(404, 'not_found', 'Access request not found');
      const decided = new ApiError(409, 'request_not_pending', `The access request is ${request.status}`);
      const decision = {
        requestId: id,
        approved: body.decision === 'approved',
        reason: body.reason,
        wabaId: body.wabaId,
      };
      await decideOnboarding(temporal, request.orgId, decision).catch(ifWorkflowMissing(decided));
      res.json({ request: requestView((await onboardingRequestById(db, id))!) });
    },
  );
  return r;
}
