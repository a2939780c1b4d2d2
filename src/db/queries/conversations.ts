import { and, asc, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { AuthContext } from '../../http/auth';
import type { Db } from '../client';
import { conversations, messages, operatorDepartments } from '../schema';

/** Admins see the whole organisation; operators their departments' chats and those assigned to them. */
async function visibility(db: Db, auth: AuthContext): Promise<SQL | undefined> {
  const org = eq(conversations.orgId, auth.orgId);
  if (auth.role === 'admin' || !auth.operatorId) return org;
  const depts = await db
    .select({ id: operatorDepartments.departmentId })
    .from(operatorDepartments)
    .where(eq(operatorDepartments.operatorId, auth.operatorId));
  const mine = eq(conversations.operatorId, auth.operatorId);
  const ids = depts.map((d) => d.id);
  return and(org, ids.length ? or(mine, inArray(conversations.departmentId, ids)) : mine);
}

export interface ConversationFilter {
  status?: 'waiting' | 'open' | 'closed';
  channel?: 'whatsapp' | 'web' | 'app';
  limit: number;
}

export async function listConversations(db: Db, auth: AuthContext, filter: ConversationFilter) {
  return db
    .select()
    .from(conversations)
    .where(
      and(
        await visibility(db, auth),
        filter.status ? eq(conversations.status, filter.status) : undefined,
        filter.channel ? eq(conversations.channel, filter.channel) : undefined,
      ),
    )
    .orderBy(desc(conversations.lastInboundAt), desc(conversations.createdAt))
    .limit(filter.limit);
}

export async function findVisibleConversation(db: Db, auth: AuthContext, id: string) {
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(and(await visibility(db, auth), eq(conversations.id, id)));
  return conversation;
}

export async function conversationMessages(db: Db, conversationId: string) {
  return db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(asc(messages.createdAt), asc(messages.id));
}
