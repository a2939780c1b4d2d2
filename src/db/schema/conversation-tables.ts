import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Attachment } from '../../domain/attachments';
import { CLOSE_REASONS, CONVERSATION_STATUSES } from '../../domain/conversation-timeline';
import { MESSAGE_STATUSES } from '../../domain/message-status';
import { brands, departments } from './directory-tables';
import { phoneNumbers } from './number-tables';
import { at, createdAt, id, requiredRef } from './columns';
import { operators, orgId } from './org-tables';

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    orgId: orgId(),
    channel: text('channel', { enum: ['whatsapp', 'web', 'app'] }).notNull(),
    numberId: uuid('number_id').references(() => phoneNumbers.id),
    // WhatsApp's address for the customer (From without the prefix); not assumed to be a phone number.
    customerAddress: text('customer_address').notNull(),
    customerName: text('customer_name'),
    seq: integer('seq').notNull(),
    workflowId: text('workflow_id').notNull().unique(),
    brandId: uuid('brand_id').references(() => brands.id),
    departmentId: uuid('department_id').references(() => departments.id),
    operatorId: uuid('operator_id').references(() => operators.id),
    status: text('status', { enum: CONVERSATION_STATUSES }).notNull().default('waiting'),
    closeReason: text('close_reason', { enum: CLOSE_REASONS }),
    lastInboundAt: at('last_inbound_at'),
    assignedAt: at('assigned_at'),
    // Queue order: when the chat first started waiting for an operator.
    queuedAt: at('queued_at').notNull().defaultNow(),
    createdAt: createdAt(),
    closedAt: at('closed_at'),
  },
  (t) => [
    unique('conversations_customer_seq').on(t.numberId, t.customerAddress, t.seq),
    // The promise "one open conversation per customer per number", enforced by the database.
    uniqueIndex('conversations_one_open')
      .on(t.numberId, t.customerAddress)
      .where(sql`${t.status} <> 'closed'`),
    index('conversations_org_status_idx').on(t.orgId, t.status),
    index('conversations_operator_idx')
      .on(t.operatorId)
      .where(sql`${t.status} <> 'closed'`),
    index('conversations_queue_idx')
      .on(t.departmentId, t.queuedAt)
      .where(sql`${t.status} = 'waiting'`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: id(),
    orgId: orgId(),
    conversationId: requiredRef('conversation_id', () => conversations.id),
    direction: text('direction', { enum: ['inbound', 'outbound'] }).notNull(),
    body: text('body').notNull().default(''),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull().default([]),
    // Twilio's MessageSid: the dedupe key for replayed webhooks and for status callbacks.
    providerSid: text('provider_sid').unique(),
    // The operator's request: a retried reply (update or activity) finds its message instead of adding one.
    requestId: text('request_id').unique(),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    operatorId: uuid('operator_id').references(() => operators.id),
    creditsCharged: integer('credits_charged').notNull().default(0),
    createdAt: createdAt(),
    statusUpdatedAt: at('status_updated_at').notNull().defaultNow(),
  },
  (t) => [index('messages_conversation_idx').on(t.conversationId, t.createdAt)],
);

/**
 * Every status callback as received. Twilio may call back before we have stored the SID that
 * sending returned; recording the callback first means that status is applied, not lost.
 */
export const messageStatusEvents = pgTable(
  'message_status_events',
  {
    providerSid: text('provider_sid').notNull(),
    status: text('status', { enum: MESSAGE_STATUSES }).notNull(),
    errorCode: text('error_code'),
    receivedAt: at('received_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.providerSid, t.status] })],
);
