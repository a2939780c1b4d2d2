import { boolean, index, integer, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { ONBOARDING_METHODS, ONBOARDING_STATUSES, type AccessRequestForm } from '../../contracts/onboarding-contract';
import { at, createdAt, id, requiredRef } from './columns';
import { orgId } from './org-tables';

/**
 * Meta Business Manager accounts already linked to the organisation's other products (F6); those
 * products fill this table through POST /v1/business-accounts with their integration key, and
 * link-existing searches it.
 */
export const businessAccounts = pgTable(
  'business_accounts',
  {
    id: id(),
    orgId: orgId(),
    businessManagerId: text('business_manager_id').notNull(),
    product: text('product').notNull(),
    verified: boolean('verified').notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('business_accounts_org_bm_product').on(t.orgId, t.businessManagerId, t.product)],
);

/**
 * A product's own credential (F6): with it the product records the Business Manager accounts it linked and
 * approves their reuse for WhatsApp. An admin issues it; only its digest is kept. An admin key cannot do
 * either, so an organisation cannot approve itself.
 */
export const integrationKeys = pgTable('integration_keys', {
  id: id(),
  orgId: orgId(),
  product: text('product').notNull(),
  keyHash: text('key_hash').notNull().unique(),
  keyPrefix: text('key_prefix').notNull(),
  createdAt: createdAt(),
  revokedAt: at('revoked_at'),
});

/** One attempt to link a Business Manager account; the onboarding workflow owns its status. */
export const onboardingRequests = pgTable(
  'onboarding_requests',
  {
    id: uuid('id').primaryKey(),
    orgId: orgId(),
    method: text('method', { enum: ONBOARDING_METHODS }).notNull(),
    businessManagerId: text('business_manager_id').notNull(),
    businessAccountId: uuid('business_account_id').references(() => businessAccounts.id),
    form: jsonb('form').$type<AccessRequestForm>(),
    status: text('status', { enum: ONBOARDING_STATUSES }).notNull(),
    reason: text('reason'),
    // The provider desk's own id for an access request, once submitted.
    deskReference: text('desk_reference'),
    // The WhatsApp Business Account the approval carries: numbers' senders are registered under it.
    wabaId: text('waba_id'),
    remindersSent: integer('reminders_sent').notNull().default(0),
    expiresAt: at('expires_at').notNull(),
    createdAt: createdAt(),
    decidedAt: at('decided_at'),
  },
  (t) => [index('onboarding_requests_org_idx').on(t.orgId, t.createdAt)],
);

/** The request's history as the account info page shows it: every status and reminder, in order. */
export const onboardingEvents = pgTable(
  'onboarding_events',
  {
    id: id(),
    requestId: requiredRef('request_id', () => onboardingRequests.id),
    event: text('event').notNull(),
    note: text('note'),
    // Retried activities post the same event once.
    idempotencyKey: text('idempotency_key').notNull().unique(),
    at: at('at').notNull().defaultNow(),
  },
  (t) => [index('onboarding_events_request_idx').on(t.requestId, t.at)],
);
