import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { z } from 'zod';
import type { Db } from '../../db/database';
import {
  conversationsPage,
  findVisibleConversation,
  messageInConversation,
} from '../../db/queries/conversation-queries';
import { operatorInOrg, unknownDepartments } from '../../db/queries/directory-queries';
import { ALLOWED_ATTACHMENT_EXTENSIONS, isAllowedAttachmentUrl, MAX_ATTACHMENT_BYTES } from '../../domain/attachments';
import type { TenantAccounts } from '../../providers/twilio/sealed-credentials';
import { fetchTwilioMedia } from '../../providers/twilio/twilio-media';
import {
  closeConversation,
  replyToConversation,
  restartConversation,
  transferConversation,
} from '../../workflow-client/conversation-client';
import { TWILIO_UNREACHABLE } from '../../contracts/conversation-contract';
import { ApiError, notFound, parse } from '../api-errors';
import { authOf, type AuthContext } from '../auth';
import { countReplies } from '../http-metrics';
import { requireTwilioAccount } from '../channel-guards';
import { pageQuery } from '../page-query';
import { idempotencyKey, idParam, uuid } from '../request-schemas';
import { conversationDetailView } from '../views/conversation-view';
import { messagesPageView } from '../views/message-view';

export const listQuery = pageQuery.extend({
  status: z.enum(['waiting', 'open', 'closed']).optional(),
  channel: z.enum(['whatsapp', 'web', 'app']).optional(),
  departmentId: uuid.optional(),
  operatorId: uuid.optional(),
});

export const replyBody = z
  .object({
    body: z.string().trim().max(4096, 'WhatsApp allows at most 4096 characters').optional(),
    mediaUrl: z.url({ protocol: /^https?$/ }).optional(),
    contentSid: z
      .string()
      .regex(/^HX[0-9a-fA-F]{32}$/, 'must be a Content SID (HX…) of an approved template')
      .optional(),
    contentVariables: z.record(z.string().regex(/^\w{1,20}$/), z.string().max(1024)).optional(),
  })
  .refine((b) => (b.body?.length ?? 0) > 0 || b.mediaUrl || b.contentSid, {
    message: 'send a body, a mediaUrl, both, or a template (contentSid)',
  })
  .refine((b) => !b.contentSid || (!b.body && !b.mediaUrl), {
    message: 'a template is sent on its own: no body or mediaUrl with contentSid',
  });

export const transferBody = z
  .object({ operatorId: uuid.optional(), departmentId: uuid.optional() })
  .refine((b) => Boolean(b.operatorId) !== Boolean(b.departmentId), {
    message: 'name either an operatorId or a departmentId',
  });

export const attachmentParams = z.object({ id: uuid, messageId: uuid, index: z.coerce.number().int().min(0).max(9) });

/** The detail carries the latest messages: `?limit=` of them. */
export const detailQuery = pageQuery.pick({ limit: true });

const WHATSAPP_WINDOW_CLOSED = '63016';
const closed = () => new ApiError(409, 'conversation_closed', 'The conversation is closed');

/** Conversations as operators (their departments' and their own) and admins (the organisation) see and work them. */
export function conversationsRouter(db: Db, temporal: Client, taskQueue: string, accounts: TenantAccounts): Router {
  const r = Router();

  /** A live conversation whose workflow is missing (its start was lost to an outage) is restarted, then asked again. */
  async function withWorkflow<T>(conversationId: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      if (!(await restartConversation(temporal, taskQueue, db, conversationId))) throw closed();
      return call();
    }
  }

  async function visible(auth: AuthContext, id: string) {
    const conversation = await findVisibleConversation(db, auth, id);
    if (!conversation) throw notFound('Conversation');
    return conversation;
  }
  async function open(auth: AuthContext, id: string) {
    const conversation = await visible(auth, id);
    if (conversation.status === 'closed') throw closed();
    return conversation;
  }

  r.get('/', async (req, res) => {
    const { items, nextCursor } = await conversationsPage(db, authOf(res), parse(listQuery, req.query, 'query'));
    res.json({ conversations: items, nextCursor });
  });

  r.get('/:id/messages', async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    const page = parse(pageQuery, req.query, 'query');
    await visible(authOf(res), id);
    res.json(await messagesPageView(db, id, page));
  });

  r.get('/:id', async (req, res) => {
    const { id } = parse(idParam, req.params, 'path');
    const { limit } = parse(detailQuery, req.query, 'query');
    res.json(await conversationDetailView(db, await visible(authOf(res), id), limit));
  });

  r.get('/:id/messages/:messageId/attachments/:index', async (req, res) => {
    const params = parse(attachmentParams, req.params, 'path');
    await visible(authOf(res), params.id);
    const message = await messageInConversation(db, params.id, params.messageId);
    const attachment = message?.direction === 'inbound' ? message.attachments[params.index] : undefined;
    if (!attachment || attachment.allowed === false || !attachment.url) throw notFound('Attachment');
    // Fetched with the organisation's own subaccount, and only from that account's media URLs.
    const account = await requireTwilioAccount(db, accounts, authOf(res).orgId);
    const media = await fetchTwilioMedia(attachment.url, account, MAX_ATTACHMENT_BYTES(attachment.contentType));
    res.type(media.contentType);
    // A download, never a page: content from a customer must not run in the desk's origin.
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Disposition', `attachment; filename="attachment-${params.index}"`);
    await pipeline(Readable.fromWeb(media.body as ReadableStream), res);
  });

  r.post('/:id/messages', countReplies(), async (req, res) => {
    const auth = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const body = parse(replyBody, req.body ?? {});
    const key = parse(idempotencyKey.optional(), req.header('idempotency-key'), 'Idempotency-Key header');
    if (body.mediaUrl && !isAllowedAttachmentUrl(body.mediaUrl)) {
      const allowed = [...ALLOWED_ATTACHMENT_EXTENSIONS];
      throw new ApiError(415, 'attachment_type_not_allowed', `Attachments must be one of: ${allowed.join(', ')}`, {
        allowed,
      });
    }
    const conversation = await open(auth, id);
    const reply = {
      // Scoped to the conversation so one client's key cannot collide with another conversation's.
      requestId: `reply:${id}:${key ?? randomUUID()}`,
      operatorId: auth.operatorId,
      // What the operator sees for a template: Twilio renders it for the customer.
      body: body.contentSid
        ? `[template ${body.contentSid}] ${JSON.stringify(body.contentVariables ?? {})}`
        : (body.body ?? ''),
      mediaUrl: body.mediaUrl,
      contentSid: body.contentSid,
      contentVariables: body.contentVariables,
    };
    const result = await withWorkflow(id, () => replyToConversation(temporal, conversation.workflowId, reply));
    const message = await messageInConversation(db, id, result.messageId);
    // A retry is the same request; the same key on another message is a client bug, not a reason to answer the first.
    if (message && (message.body !== reply.body || message.attachments[0]?.url !== reply.mediaUrl)) {
      const why = `Idempotency-Key ${key} was already used for a different message in this conversation`;
      throw new ApiError(422, 'idempotency_key_reused', why, { messageId: message.id });
    }
    const refused = { providerErrorCode: result.errorCode, messageId: result.messageId };
    // Twilio's own word that the 24-hour window has closed: the same answer as our check, never retried blindly.
    if (result.status === 'failed' && result.errorCode === WHATSAPP_WINDOW_CLOSED) {
      const message =
        'WhatsApp refused a free-form message: the customer last wrote more than 24 hours ago (Twilio 63016)';
      throw new ApiError(409, 'outside_customer_service_window', message, refused);
    }
    if (result.status === 'failed' && result.errorCode === TWILIO_UNREACHABLE) {
      const why = 'Twilio could not be reached before the reply had to go; it was not sent and its credit was refunded';
      throw new ApiError(502, 'provider_unavailable', why, refused);
    }
    if (result.status === 'failed' && !result.providerSid) {
      const why = `Twilio refused the message (error ${result.errorCode}): ${message?.errorMessage ?? ''}`;
      throw new ApiError(502, 'provider_rejected', why, refused);
    }
    res.locals.replyStatus = message?.status;
    res.status(201).json({ message });
  });

  r.post('/:id/close', async (req, res) => {
    const auth = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const conversation = await visible(auth, id);
    if (conversation.status === 'closed')
      throw new ApiError(409, 'conversation_closed', 'The conversation is already closed');
    await withWorkflow(id, () => closeConversation(temporal, conversation.workflowId, auth.operatorId ?? 'admin'));
    res.json({ conversation: await visible(auth, id) });
  });

  r.post('/:id/transfer', async (req, res) => {
    const auth = authOf(res);
    const { id } = parse(idParam, req.params, 'path');
    const target = parse(transferBody, req.body ?? {});
    const conversation = await open(auth, id);
    if (target.operatorId && !(await operatorInOrg(db, auth.orgId, target.operatorId))) throw notFound('Operator');
    if (target.departmentId && (await unknownDepartments(db, auth.orgId, [target.departmentId])).length)
      throw notFound('Department');
    await withWorkflow(id, () => transferConversation(temporal, conversation.workflowId, target));
    // After a transfer the operator may no longer see it; the answer shows where it went.
    res.json({ conversation: await findVisibleConversation(db, { ...auth, role: 'admin' }, id) });
  });

  return r;
}
