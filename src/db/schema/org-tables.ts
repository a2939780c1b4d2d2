import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, id, requiredRef } from './columns';

export const orgs = pgTable('orgs', {
  id: id(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

/** The tenant every row belongs to. */
export const orgId = () => requiredRef('org_id', () => orgs.id);
/** For tables of one row per organisation. */
export const orgIdKey = () =>
  uuid('org_id')
    .primaryKey()
    .references(() => orgs.id);

export const operators = pgTable(
  'operators',
  {
    id: id(),
    orgId: orgId(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    presence: text('presence', { enum: ['available', 'away', 'offline'] })
      .notNull()
      .default('offline'),
    maxConcurrentChats: integer('max_concurrent_chats').notNull().default(5),
    lastAssignedAt: at('last_assigned_at'),
    createdAt: createdAt(),
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
    id: id(),
    orgId: orgId(),
    role: text('role', { enum: ['admin', 'operator'] }).notNull(),
    operatorId: uuid('operator_id').references(() => operators.id),
    keyHash: text('key_hash').notNull().unique(),
    keyPrefix: text('key_prefix').notNull(),
    createdAt: createdAt(),
    /** Kept to the minute, so an admin can tell a forgotten key from a live one before revoking it. */
    lastUsedAt: at('last_used_at'),
    revokedAt: at('revoked_at'),
  },
  (t) => [check('api_keys_operator_role', sql`(${t.role} = 'operator') = (${t.operatorId} is not null)`)],
);
