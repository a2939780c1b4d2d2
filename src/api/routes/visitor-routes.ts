import type { Client } from '@temporalio/client';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { Router, type RequestHandler } from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { recordInbound } from '../../db/queries/inbound-queries';
import { conversationPolicy } from '../../db/queries/settings-queries';
import { conversations, messages, visitorSessions } from '../../db/schema';
import { hashApiKey } from '../api-keys';
import { notifyConversation } from '../../workflow-client/conversation-client';
import { authOf, requireAdmin } from '../auth';
import { ApiError, parse } from '../api-errors';
import { idParam, uuid } from '../request-schemas';
import { checkAssociation } from './number-routes';

const createBody = z.object({ channel: z.enum(['web', 'app']), brandId: uuid, departmentId: uuid, displayName: z.string().trim().min(1).max(80).optional() });
const messageBody = z.object({ body: z.string().trim().min(1, 'must not be empty').max(4096) });
const pollQuery = z.object({ after: z.iso.datetime().optional(), waitSeconds: z.coerce.number().int().min(0).max(25).default(0) });

type Session = typeof visitorSessions.$inferSelect;

/** The visitor's own token opens only their own session. */
function visitorAuth(db: Db): RequestHandler {
  return async (req, res, next) => {
    const { id } = parse(idParam, req.params, 'path');
    const token = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
    const [session] = token ? await db.select().from(visitorSessions).where(eq(visitorSessions.tokenHash, hashApiKey(token))) : [];
    if (!session || session.id !== id) throw new ApiError(401, 'unauthenticated', 'Send the visitor token of this session');
    res.locals.session = session;
    next();
  };
}

/** F2: a website or app visitor, in the same conversation model and workflow as WhatsApp. */
export function visitorRouter(db: Db, temporal: Client, taskQueue: string): Router {
  const r = Router();
  const customerOf = (session: Session) => `visitor:${session.id}`;

  r.post('/:id/messages', visitorAuth(db), async (req, res) => {
    const session = res.locals.session as Session;
    const { body } = parse(messageBody, req.body);
    const receivedAt = new Date();
    const recorded = await recordInbound(
      db,
      { orgId: session.orgId, numberId: null, channel: session.channel, brandId: session.brandId, departmentId: session.departmentId },
      { providerSid: `visitor:${randomUUID()}`, customerAddress: customerOf(session), customerName: session.displayName ?? undefined, body, attachments: [], receivedAt },
    );
    const policy = await conversationPolicy(db, { orgId: session.orgId, chatCloseLimitSeconds: null, idleCloseSeconds: null });
    await notifyConversation(temporal, taskQueue, recorded.conversation, { messageId: recorded.messageId, receivedAt, unsupportedContent: false }, policy);
    res.status(201).json({ messageId: recorded.messageId, conversationId: recorded.conversation.id });
  });

  // Long-poll: answers as soon as there is something after `after`, or empty after `waitSeconds`.
  r.get('/:id/messages', visitorAuth(db), async (req, res) => {
    const session = res.locals.session as Session;
    const query = parse(pollQuery, req.query, 'query');
    const after = query.after ? new Date(query.after) : new Date(0);
    const deadline = Date.now() + query.waitSeconds * 1000;
    for (;;) {
      const mine = db.select({ id: conversations.id }).from(conversations).where(eq(conversations.customerAddress, customerOf(session)));
      const found = await db
        .select({ id: messages.id, direction: messages.direction, body: messages.body, createdAt: messages.createdAt })
        .from(messages)
        .where(and(inArray(messages.conversationId, mine), gt(messages.createdAt, after)))
        .orderBy(asc(messages.createdAt));
      if (found.length > 0 || Date.now() >= deadline || req.socket.destroyed) {
        res.json({ messages: found, cursor: (found.at(-1)?.createdAt ?? after).toISOString() });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  return r;
}

export function visitorAdminRouter(db: Db): Router {
  const r = Router();
  r.post('/', requireAdmin, async (req, res) => {
    const { orgId } = authOf(res);
    const body = parse(createBody, req.body);
    await checkAssociation(db, orgId, body.brandId, body.departmentId);
    const token = `sb_vis_${randomBytes(24).toString('base64url')}`;
    const [session] = await db
      .insert(visitorSessions)
      .values({ orgId, channel: body.channel, brandId: body.brandId, departmentId: body.departmentId, displayName: body.displayName, tokenHash: hashApiKey(token) })
      .returning({ id: visitorSessions.id, channel: visitorSessions.channel, createdAt: visitorSessions.createdAt });
    res.status(201).json({ session, visitorToken: token });
  });
  return r;
}
