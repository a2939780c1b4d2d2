import { integer, pgTable, text } from 'drizzle-orm/pg-core';
import {
  DEFAULT_CHAT_CLOSE_LIMIT_SECONDS,
  DEFAULT_IDLE_CLOSE_SECONDS,
  DEFAULT_UNAVAILABLE_REPLY,
} from '../../domain/policies';
import { updatedAt } from './columns';
import { orgIdKey } from './org-tables';

/** F11/F12: the WhatsApp channel's settings, one row per organisation (defaults until saved). */
export const channelSettings = pgTable('channel_settings', {
  orgId: orgIdKey(),
  // F12: an unattended chat (no operator answer) closes after this long from the customer's first message.
  chatCloseLimitSeconds: integer('chat_close_limit_seconds').notNull().default(DEFAULT_CHAT_CLOSE_LIMIT_SECONDS),
  // An answered chat with no activity closes as inactive after this long.
  idleCloseSeconds: integer('idle_close_seconds').notNull().default(DEFAULT_IDLE_CLOSE_SECONDS),
  // Sent to the customer when an unattended chat closes; none when null.
  closingNotice: text('closing_notice'),
  // F15: sent once per conversation to a customer writing while the number's brand is switched off.
  unavailableReply: text('unavailable_reply').notNull().default(DEFAULT_UNAVAILABLE_REPLY),
  updatedAt: updatedAt(),
});
