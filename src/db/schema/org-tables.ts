import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

export const orgs = pgTable('orgs', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const operators = pgTable(
  'operators',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    name: text('name').notNull(),
    email: text('email').notNull(),
    presence: text('presence', { enum: ['available', 'away', 'offline'] }).notNull().default('offline'),
    maxConcurrentChats: integer('max_concurrent_chats').notNull().default(5),
    lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('operators_org_email').on(t.orgId, t.email),
    check('operators_max_chats_positive', sql`${t.maxConcurrentChats} > 0`),
  ],
);

/** Keys are stored as SHA-256 digests; the prefix lets people recognise a key without revealing it. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    role: text('role', { enum: ['admin', 'operator'] }).notNull(),
    operatorId: uuid('operator_id').references(() => operators.id),
    keyHash: text('key_hash').notNull().unique(),
    keyPrefix: text('key_prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    check('api_keys_operator_role', sql`(${t.role} = 'operator') = (${t.operatorId} is not null)`),
  ],
);
