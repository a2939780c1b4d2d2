import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { EVENT_TYPES } from '../../domain/events';
import { createdAt } from './columns';
import { orgId } from './org-tables';

/**
 * The outbox: each event is written in the transaction that makes the change it tells of, so an event
 * exists exactly when its change does. Readers follow it in (txid, id) order below the oldest open
 * transaction, so a transaction that commits late cannot slip behind them.
 */
export const events = pgTable(
  'events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    // The writing transaction (xid8 as a number): commit order is not id order, this is how readers wait.
    txid: bigint('txid', { mode: 'number' })
      .notNull()
      .default(sql`pg_current_xact_id()::text::bigint`),
    orgId: orgId(),
    type: text('type', { enum: EVENT_TYPES }).notNull(),
    conversationId: uuid('conversation_id'),
    // Who besides the organisation's admins may see it: operators of these departments, and these operators.
    departmentIds: uuid('department_ids')
      .array()
      .notNull()
      .default(sql`'{}'`),
    operatorIds: uuid('operator_ids')
      .array()
      .notNull()
      .default(sql`'{}'`),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('events_org_position_idx').on(t.orgId, t.txid, t.id), index('events_created_idx').on(t.createdAt)],
);
