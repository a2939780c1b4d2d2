import { and, asc, eq, isNotNull, lt, max, min, ne } from 'drizzle-orm';
import type { ConversationPolicy, ConversationState } from '../../contracts/conversation-contract';
import type { Db } from '../database';
import { conversations, messages, phoneNumbers } from '../schema';
import type { Conversation } from './inbound-queries';
import { conversationPolicy } from './settings-queries';

export interface ConversationToRestart {
  conversation: Conversation;
  policy: ConversationPolicy;
  state: ConversationState;
}

const iso = (at: Date | null) => at?.toISOString() ?? null;

/**
 * What a conversation's workflow would know, rebuilt from the database, so a live conversation whose
 * workflow never started (or was terminated) can run again from where it is. Undefined once closed.
 */
export async function conversationToRestart(
  db: Db,
  conversationId: string,
): Promise<ConversationToRestart | undefined> {
  const [row] = await db
    .select({ conversation: conversations, number: phoneNumbers })
    .from(conversations)
    .leftJoin(phoneNumbers, eq(phoneNumbers.id, conversations.numberId))
    .where(eq(conversations.id, conversationId));
  if (!row || row.conversation.status === 'closed') return undefined;
  const { conversation } = row;
  const [times] = await db
    // A conversation begins with the customer's message, so its first message is their first.
    .select({ firstAt: min(messages.createdAt), lastAt: max(messages.createdAt) })
    .from(messages)
    .where(eq(messages.conversationId, conversationId));
  // Answered: an operator's reply that was not refused, as the workflow counts it.
  const [answered] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        eq(messages.direction, 'outbound'),
        isNotNull(messages.operatorId),
        ne(messages.status, 'failed'),
      ),
    )
    .limit(1);
  const lastInboundAt = iso(conversation.lastInboundAt);

  const state: ConversationState = {
    status: conversation.status === 'open' ? 'open' : 'waiting',
    operatorId: conversation.status === 'open' ? conversation.operatorId : null,
    closeReason: null,
    firstInboundAt: iso(times?.firstAt ?? null) ?? lastInboundAt,
    lastInboundAt,
    lastActivityAt: iso(times?.lastAt ?? null) ?? lastInboundAt,
    answered: Boolean(answered),
  };
  const policyOf = row.number ?? { orgId: conversation.orgId, chatCloseLimitSeconds: null, idleCloseSeconds: null };
  return { conversation, policy: await conversationPolicy(db, policyOf), state };
}

/** Live conversations that began before `before`, oldest first: the ones whose workflow should be running. */
export function liveConversationsBefore(db: Db, before: Date, limit: number) {
  return db
    .select({ id: conversations.id, workflowId: conversations.workflowId })
    .from(conversations)
    .where(and(ne(conversations.status, 'closed'), lt(conversations.createdAt, before)))
    .orderBy(asc(conversations.createdAt))
    .limit(limit);
}
