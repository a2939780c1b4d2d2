import { pgTable, text } from 'drizzle-orm/pg-core';
import { at, requiredRef } from './columns';
import { apiKeys, orgIdKey } from './org-tables';

/** F4/F5: the organisation's WhatsApp channel exists only once an admin consented to Twilio as intermediary. */
export const whatsappChannels = pgTable('whatsapp_channels', {
  orgId: orgIdKey(),
  consentTermsVersion: text('consent_terms_version').notNull(),
  consentAcceptedAt: at('consent_accepted_at').notNull().defaultNow(),
  // Who: the admin key that accepted (its id; the prefix is shown).
  consentAcceptedByKeyId: requiredRef('consent_accepted_by_key_id', () => apiKeys.id),
});
