import { eq } from 'drizzle-orm';
import type { Tx } from '../db/database';
import { whatsappChannels } from '../db/schema';
import { ApiError } from './api-errors';

export async function channelOf(tx: Tx, orgId: string) {
  const [channel] = await tx.select().from(whatsappChannels).where(eq(whatsappChannels.orgId, orgId));
  return channel;
}

/** F5: nothing on the WhatsApp channel happens before the admin's consent. */
export async function requireConsent(tx: Tx, orgId: string): Promise<void> {
  if (!(await channelOf(tx, orgId))) {
    throw new ApiError(409, 'consent_required', 'Create the WhatsApp channel first: POST /v1/whatsapp/channel with the consent to Twilio as intermediary');
  }
}
