import { sql } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt, id, requiredRef } from './columns';
import { brands, departments } from './directory-tables';
import { orgId } from './org-tables';

/** F2: a website or app visitor chatting through the same conversation model as WhatsApp. */
export const visitorSessions = pgTable('visitor_sessions', {
  id: id(),
  orgId: orgId(),
  channel: text('channel', { enum: ['web', 'app'] }).notNull(),
  brandId: requiredRef('brand_id', () => brands.id),
  departmentId: requiredRef('department_id', () => departments.id),
  displayName: text('display_name'),
  // The visitor's bearer token, stored as a digest like API keys.
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
  /** A token in a browser outlives its page; past this, or once revoked, it opens nothing. */
  expiresAt: at('expires_at')
    .notNull()
    .default(sql`now() + interval '1 day'`),
  revokedAt: at('revoked_at'),
});
