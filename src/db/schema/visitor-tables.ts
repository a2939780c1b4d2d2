import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { brands, departments } from './directory-tables';
import { orgId } from './org-tables';

/** F2: a website or app visitor chatting through the same conversation model as WhatsApp. */
export const visitorSessions = pgTable('visitor_sessions', {
  id: id(),
  orgId: orgId(),
  channel: text('channel', { enum: ['web', 'app'] }).notNull(),
  brandId: uuid('brand_id')
    .notNull()
    .references(() => brands.id),
  departmentId: uuid('department_id')
    .notNull()
    .references(() => departments.id),
  displayName: text('display_name'),
  // The visitor's bearer token, stored as a digest like API keys.
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
});
