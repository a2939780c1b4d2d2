import { eq } from 'drizzle-orm';
import type { Tx } from '../database';
import { apiKeys, whatsappChannels } from '../schema';

export async function channelOf(tx: Tx, orgId: string) {
  const [channel] = await tx.select().from(whatsappChannels).where(eq(whatsappChannels.orgId, orgId));
  return channel;
}

/** F5: the admin's consent creates the channel; a second consent leaves the first standing. */
export async function createChannel(tx: Tx, orgId: string, consent: { termsVersion: string; keyId: string }) {
  await tx
    .insert(whatsappChannels)
    .values({ orgId, consentTermsVersion: consent.termsVersion, consentAcceptedByKeyId: consent.keyId })
    .onConflictDoNothing();
}

/** Who consented, when, to which terms: the key is shown by its prefix only. */
export async function consentOf(tx: Tx, orgId: string) {
  const [row] = await tx
    .select({ channel: whatsappChannels, keyPrefix: apiKeys.keyPrefix })
    .from(whatsappChannels)
    .innerJoin(apiKeys, eq(apiKeys.id, whatsappChannels.consentAcceptedByKeyId))
    .where(eq(whatsappChannels.orgId, orgId));
  if (!row) return undefined;
  const { consentTermsVersion, consentAcceptedAt } = row.channel;
  return {
    termsVersion: consentTermsVersion,
    acceptedAt: consentAcceptedAt,
    acceptedBy: { apiKeyPrefix: row.keyPrefix },
  };
}
