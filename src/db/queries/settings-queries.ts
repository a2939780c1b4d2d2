import { eq } from 'drizzle-orm';
import type { Tx } from '../database';
import {
  DEFAULT_CHAT_CLOSE_LIMIT_SECONDS,
  DEFAULT_IDLE_CLOSE_SECONDS,
  DEFAULT_UNAVAILABLE_REPLY,
} from '../../domain/policies';
import { channelSettings, phoneNumbers } from '../schema';

export type ChannelSettings = typeof channelSettings.$inferSelect;

export async function settingsOf(tx: Tx, orgId: string): Promise<ChannelSettings> {
  const [row] = await tx.select().from(channelSettings).where(eq(channelSettings.orgId, orgId));
  return (
    row ?? {
      orgId,
      chatCloseLimitSeconds: DEFAULT_CHAT_CLOSE_LIMIT_SECONDS,
      idleCloseSeconds: DEFAULT_IDLE_CLOSE_SECONDS,
      closingNotice: null,
      unavailableReply: DEFAULT_UNAVAILABLE_REPLY,
      updatedAt: new Date(0),
    }
  );
}

export async function saveSettings(
  tx: Tx,
  orgId: string,
  values: Partial<Omit<ChannelSettings, 'orgId' | 'updatedAt'>>,
): Promise<ChannelSettings> {
  const [row] = await tx
    .insert(channelSettings)
    .values({ orgId, ...values })
    .onConflictDoUpdate({ target: channelSettings.orgId, set: { ...values, updatedAt: new Date() } })
    .returning();
  return row!;
}

/** What a new conversation runs with: its number's overrides, else the organisation's settings. */
export async function conversationPolicy(
  tx: Tx,
  number: Pick<typeof phoneNumbers.$inferSelect, 'orgId' | 'chatCloseLimitSeconds' | 'idleCloseSeconds'>,
) {
  const settings = await settingsOf(tx, number.orgId);
  return {
    unattendedSeconds: number.chatCloseLimitSeconds ?? settings.chatCloseLimitSeconds,
    idleSeconds: number.idleCloseSeconds ?? settings.idleCloseSeconds,
    closingNotice: settings.closingNotice,
    unavailableReply: settings.unavailableReply,
  };
}
