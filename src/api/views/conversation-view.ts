import type { Db } from '../../db/database';
import { earlierConversations, queuePosition } from '../../db/queries/conversation-queries';
import type { Conversation } from '../../db/queries/inbound-queries';
import { messagesPageView } from './message-view';

/**
 * A conversation as the desk opens it: where it waits, the customer's earlier chats, and its latest messages
 * (oldest first, so the newest is last); `messagesNextCursor` pages back through
 * GET /v1/conversations/:id/messages?cursor=.
 */
export async function conversationDetailView(db: Db, conversation: Conversation, messageLimit: number) {
  const latest = await messagesPageView(db, conversation.id, { limit: messageLimit });
  return {
    conversation,
    queue: conversation.status === 'waiting' ? await queuePosition(db, conversation) : null,
    earlierConversations: await earlierConversations(db, conversation),
    messages: latest.messages,
    messagesNextCursor: latest.nextCursor,
  };
}
