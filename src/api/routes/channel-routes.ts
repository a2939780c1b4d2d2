import { eq } from 'drizzle-orm';
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { settingsOf } from '../../db/queries/settings-queries';
import { apiKeys, phoneNumbers, whatsappChannels } from '../../db/schema';
import { authOf, requireAdmin } from '../auth';
import { ApiError, parse } from '../api-errors';
import { numberViews } from './number-routes';
import { onboardingView } from '../views/onboarding-view';
import { channelOf } from '../channel-guards';
import { settingsView } from './settings-routes';

const consentBody = z.object({
  acceptIntermediaryTerms: z.literal(true, { message: 'the admin must accept Twilio as the intermediary service (true)' }),
  termsVersion: z.string().trim().min(1).max(40),
});

export function channelRouter(db: Db): Router {
  const r = Router();
  r.use(requireAdmin);

  // Creating it twice is harmless: the first consent stands.
  r.post('/', async (req, res) => {
    const auth = authOf(res);
    const body = parse(consentBody, req.body);
    const existing = await channelOf(db, auth.orgId);
    if (!existing) {
      await db.insert(whatsappChannels).values({ orgId: auth.orgId, consentTermsVersion: body.termsVersion, consentAcceptedByKeyId: auth.keyId! }).onConflictDoNothing();
    }
    res.status(existing ? 200 : 201).json(await accountInfo(db, auth.orgId));
  });

  // F11: the account info page — consent, the Business Manager link and its history, numbers, settings.
  r.get('/', async (_req, res) => {
    const { orgId } = authOf(res);
    if (!(await channelOf(db, orgId))) throw new ApiError(404, 'channel_not_created', 'No WhatsApp channel yet: POST /v1/whatsapp/channel');
    res.json(await accountInfo(db, orgId));
  });

  return r;
}

async function accountInfo(db: Db, orgId: string) {
  const [row] = await db
    .select({ channel: whatsappChannels, keyPrefix: apiKeys.keyPrefix })
    .from(whatsappChannels)
    .innerJoin(apiKeys, eq(apiKeys.id, whatsappChannels.consentAcceptedByKeyId))
    .where(eq(whatsappChannels.orgId, orgId));
  return {
    channel: {
      consent: { termsVersion: row!.channel.consentTermsVersion, acceptedAt: row!.channel.consentAcceptedAt, acceptedBy: { apiKeyPrefix: row!.keyPrefix } },
      onboarding: await onboardingView(db, orgId),
      numbers: (await numberViews(db, eq(phoneNumbers.orgId, orgId))).map(
        ({ id, phoneNumber, status, statusReason, source, brandId, departmentId, subscription, brands }) => ({ id, phoneNumber, status, statusReason, source, brandId, departmentId, subscription, brands }),
      ),
      settings: settingsView(await settingsOf(db, orgId)),
    },
  };
}
