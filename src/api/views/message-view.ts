import type { Db } from '../../db/database';
import { messagesPage, type Message } from '../../db/queries/conversation-queries';
import type { PageRequest } from '../../db/queries/keyset-pages';

/** Operators see what a customer sent, but download it through us: Twilio's URLs need our credentials. */
export function messageView(conversationId: string, m: Message) {
  const attachments = m.attachments.map((a, i) => {
    if (m.direction === 'outbound') return { url: a.url, contentType: a.contentType || null };
    const downloadable = a.allowed !== false && a.url;
    return {
      contentType: a.contentType,
      allowed: a.allowed !== false,
      placeholder: a.placeholder ?? null,
      downloadUrl: downloadable ? `/v1/conversations/${conversationId}/messages/${m.id}/attachments/${i}` : null,
    };
  });
  return { ...m, attachments };
}

/** GET /v1/conversations/:id/messages: a page of the chat, oldest first, and the cursor to the messages before it. */
export async function messagesPageView(db: Db, conversationId: string, page: PageRequest) {
  const { items, nextCursor } = await messagesPage(db, conversationId, page);
  return { messages: items.map((m) => messageView(conversationId, m)), nextCursor };
}
