import { sql } from 'drizzle-orm';
import { check, pgTable, text } from 'drizzle-orm/pg-core';
import { SUBACCOUNT_STATUSES } from '../../contracts/subaccount-contract';
import { at, requiredRef } from './columns';
import { apiKeys, orgIdKey } from './org-tables';

/**
 * F4/F5: the organisation's WhatsApp channel exists only once an admin consented to Twilio as intermediary.
 * Its Twilio subaccount is made then (by its workflow): everything Twilio does for the organisation happens
 * there, with the subaccount's own credentials, so one tenant never reaches another's numbers or templates.
 */
export const whatsappChannels = pgTable(
  'whatsapp_channels',
  {
    orgId: orgIdKey(),
    consentTermsVersion: text('consent_terms_version').notNull(),
    consentAcceptedAt: at('consent_accepted_at').notNull().defaultNow(),
    // Who: the admin key that accepted (its id; the prefix is shown).
    consentAcceptedByKeyId: requiredRef('consent_accepted_by_key_id', () => apiKeys.id),
    twilioAccountStatus: text('twilio_account_status', { enum: SUBACCOUNT_STATUSES }).notNull().default('creating'),
    // Inbound webhooks and status callbacks name it: it finds the organisation, and the token to check them with.
    twilioAccountSid: text('twilio_account_sid').unique(),
    // AES-256-GCM under SWITCHBOARD_SECRETS_KEY, bound to the SID: a database dump alone opens no account.
    twilioAuthTokenSealed: text('twilio_auth_token_sealed'),
    // Why Twilio refused to make it (e.g. the main account's subaccount limit), for the admin.
    twilioAccountReason: text('twilio_account_reason'),
  },
  (t) => [
    check(
      'whatsapp_channels_active_has_credentials',
      sql`(${t.twilioAccountStatus} = 'active') = (${t.twilioAccountSid} is not null and ${t.twilioAuthTokenSealed} is not null)`,
    ),
  ],
);
