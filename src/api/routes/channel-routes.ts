import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { channelOf, createChannel } from '../../db/queries/channel-queries';
import { markSubaccount } from '../../db/queries/subaccount-queries';
import { openSubaccount } from '../../workflow-client/subaccount-client';
import { ApiError, parse } from '../api-errors';
import { authOf, requireAdmin } from '../auth';
import { accountInfoView } from '../views/account-info-view';

export const consentBody = z.object({
  acceptIntermediaryTerms: z.literal(true, {
    message: 'the admin must accept Twilio as the intermediary service (true)',
  }),
  termsVersion: z.string().trim().min(1).max(40),
});

/** F4/F5/F11: the organisation's WhatsApp channel, created by the admin's consent, with its Twilio subaccount. */
export function channelRouter(db: Db, temporal: Client, taskQueue: string): Router {
  const r = Router();
  r.use(requireAdmin);

  // Consenting twice is harmless: the first consent stands, and a subaccount not yet made is made now
  // (after a refusal, or a start lost to an outage).
  r.post('/', async (req, res) => {
    const auth = authOf(res);
    const body = parse(consentBody, req.body);
    const existing = await channelOf(db, auth.orgId);
    if (!existing) await createChannel(db, auth.orgId, { termsVersion: body.termsVersion, keyId: auth.keyId! });
    if (existing?.twilioAccountStatus !== 'active') {
      if (existing?.twilioAccountStatus === 'failed') await markSubaccount(db, auth.orgId, 'creating', null);
      await openSubaccount(temporal, taskQueue, auth.orgId);
    }
    res.status(existing ? 200 : 201).json(await accountInfoView(db, auth.orgId));
  });

  r.get('/', async (_req, res) => {
    const { orgId } = authOf(res);
    if (!(await channelOf(db, orgId)))
      throw new ApiError(404, 'channel_not_created', 'No WhatsApp channel yet: POST /v1/whatsapp/channel');
    res.json(await accountInfoView(db, orgId));
  });

  return r;
}
