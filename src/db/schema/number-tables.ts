import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { NUMBER_STATUSES, SUBSCRIPTION_STATES } from '../../contracts/number-contract';
import { NUMBER_TYPES } from '../../domain/number-pricing';
import { at, createdAt, id, requiredRef, updatedAt } from './columns';
import { brands, departments } from './directory-tables';
import { orgId } from './org-tables';

export const phoneNumbers = pgTable(
  'phone_numbers',
  {
    id: id(),
    orgId: orgId(),
    e164: text('e164').notNull(),
    country: text('country'),
    numberType: text('number_type', { enum: NUMBER_TYPES }),
    source: text('source', { enum: ['existing', 'purchased'] }).notNull(),
    providerSid: text('provider_sid'),
    status: text('status', { enum: NUMBER_STATUSES }).notNull(),
    brandId: uuid('brand_id').references(() => brands.id),
    departmentId: uuid('department_id').references(() => departments.id),
    subscriptionExpiresAt: at('subscription_expires_at'),
    // F13: purchased numbers renew monthly; null for numbers adopted from an existing integration.
    subscriptionState: text('subscription_state', { enum: SUBSCRIPTION_STATES }),
    monthlyPriceCents: integer('monthly_price_cents'),
    // Where provisioning is: purchasing, registering_sender, the sender's status, charging.
    provisioningStep: text('provisioning_step'),
    senderSid: text('sender_sid'),
    // Why a number failed, was released or is past due, in words an admin can act on.
    statusReason: text('status_reason'),
    releasedAt: at('released_at'),
    // Per-number overrides of the organisation's close limits; null inherits.
    chatCloseLimitSeconds: integer('chat_close_limit_seconds'),
    idleCloseSeconds: integer('idle_close_seconds'),
    createdAt: createdAt(),
  },
  (t) => [
    check('phone_numbers_e164', sql`${t.e164} ~ '^\\+[1-9][0-9]{7,14}$'`),
    // A live number reaches exactly one organisation (inbound routing is keyed on it); a released one can be bought again.
    uniqueIndex('phone_numbers_e164_live')
      .on(t.e164)
      .where(sql`status in ('pending', 'active')`),
  ],
);

/** F15: each brand on a number has its own switch; a missing row means enabled. */
export const numberBrandSwitches = pgTable(
  'number_brand_switches',
  {
    numberId: requiredRef('number_id', () => phoneNumbers.id),
    brandId: requiredRef('brand_id', () => brands.id),
    enabled: boolean('enabled').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.numberId, t.brandId] })],
);
