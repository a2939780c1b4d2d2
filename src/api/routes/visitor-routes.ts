import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { recordInbound } from '../../db/queries/inbound-queries';
import { countInbound } from '../../metrics';
import { conversationPolicy } from '../../db/queries/settings-queries';
import {
  createVisitorSession,
  revokeVisitorSession,
  visitorAddress,
  visitorMessagesAfter,
} from '../../db/queries/visitor-queries';
import { notifyConversation } from '../../workflow-client/conversation-client';
import { notFound, parse } from '../api-errors';
import { generateVisitorToken } from '../api-keys';
import { authOf, requireAdmin, visitorAuth, visitorSessionOf } from '../auth';
import { checkAssociation } from '../channel-guards';
import { idempotencyKey, idParam, uuid } from '../request-schemas';
import type { VisitorLimiters } from '../visitor-rate-limits';

export const createBody = z.object({
  channel: z.enum(['web', 'app']),
  brandId: uuid,
  departmentId: uuid,
  displayName: z.string().trim().min(1).max(80).optional(),
  /** How long the token works: a day unless said, at most 30. */
  ttlSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 24 * 3600)
    .default(24 * 3600),
});
export const messageBody = z.object({ body: z.string().trim().min(1, 'must not be empty').max(4096) });
export const pollQuery = z.object({
  after: z.iso.datetime().optional(),
  waitSeconds: z.coerce.number().int().min(0).max(25).default(0),
});

/** F2: a website or app visitor, in the same conversation model and workflow as WhatsApp. */
export function visitorRouter(db: Db, temporal: Client, taskQueue: string, limits: VisitorLimiters): Router {
  const r = Router();

  // The client's Idempotency-Key makes a retried post (after a timeout or a 503) the same message.
  r.post('/:id/messages', limits.perAddress, visitorAuth(db), limits.posts, async (req, res) => {
    const session = visitorSessionOf(res);
    const { body } = parse(messageBody, req.body);
    const key = parse(idempotencyKey.optional(), req.header('idempotency-key'), 'Idempotency-Key header');
    const { orgId, channel, brandId, departmentId } = session;
    const recorded = await recordInbound(
      db,
      { orgId, numberId: null, channel, brandId, departmentId },
      {
        providerSid: `visitor:${session.id}:${key ?? randomUUID()}`,
        customerAddress: visitorAddress(session),
        customerName: session.displayName ?? undefined,
        body,
        attachments: [],
        receivedAt: new Date(),
      },
    );
    countInbound(channel, recorded.duplicate);
    const { messageId, receivedAt, conversation } = recorded;
    const policy = await conversationPolicy(db, { orgId, chatCloseLimitSeconds: null, idleCloseSeconds: null });
    await notifyConversation(
      temporal,
      taskQueue,
      conversation,
      { messageId, receivedAt, unsupportedContent: false },
      policy,
    );
    res.status(recorded.duplicate ? 200 : 201).json({ messageId, conversationId: conversation.id });
  });

  // Long-poll: answers as soon as there is something after `after`, or empty after `waitSeconds`.
  r.get('/:id/messages', limits.perAddress, visitorAuth(db), limits.polls, async (req, res) => {
    const session = visitorSessionOf(res);
    const query = parse(pollQuery, req.query, 'query');
    const after = query.after ?? new Date(0).toISOString();
    const deadline = Date.now() + query.waitSeconds * 1000;
    for (;;) {
      const found = await visitorMessagesAfter(db, session, after);
      if (found.length > 0 || Date.now() >= deadline || req.socket.destroyed) {
        const messages = found.map(({ cursor: _, ...message }) => message);
        res.json({ messages, cursor: found.at(-1)?.cursor ?? after });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  return r;
}

/** Admins open visitor sessions for their website or app (F2). */
export function visitorAdminRouter(db: Db): Router {
  const r = Router();
  r.post('/', requireAdmin, async (req, res) => {
    const { orgId } = authOf(res);
    const { ttlSeconds, ...body } = parse(createBody, req.body);
    await checkAssociation(db, orgId, body.brandId, body.departmentId);
    const token = generateVisitorToken();
    const session = await createVisitorSession(
      db,
      { orgId, ...body, displayName: body.displayName ?? null, tokenHash: token.stored.hash },
      ttlSeconds,
    );
    res.status(201).json({ session, visitorToken: token.key });
  });

  // The visitor's token stops working at once (a widget logged out, a token seen where it should not be).
  r.delete('/:id', requireAdmin, async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    if (!(await revokeVisitorSession(db, authOf(res).orgId, id))) throw notFound('Open visitor session');
    res.status(204).end();
  });
  return r;
}
