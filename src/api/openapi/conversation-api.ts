import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CLOSE_REASONS, CONVERSATION_STATUSES } from '../../domain/conversation-timeline';
import { pageQuery } from '../page-query';
import { idempotencyKey, idParam } from '../request-schemas';
import { attachmentParams, detailQuery, listQuery, replyBody, transferBody } from '../routes/conversation-routes';
import { position, streamQuery } from '../routes/event-routes';
import { answer, id, nextCursor, timestamp } from './common-schemas';
import { describeOperation, type Codes } from './describe-operation';
import { conversation, message, storedMessage } from './view-schemas';

/** Updates to one conversation pass through its workflow, which admits only so many at once. */
const busy: Codes = { 429: ['too_many_requests'] };
const messagesPage = answer({ messages: z.array(message), nextCursor });

/** F2, F10, F12, F17: conversations as the desk works them, and the organisation's events as they happen. */
export function describeConversations(registry: OpenAPIRegistry): void {
  const tag = 'Conversations';
  const who = 'admin or operator of its department';
  describeOperation(registry, {
    method: 'get',
    path: '/v1/conversations',
    tag,
    summary: 'Conversations the caller sees, newest first by when they started',
    description: "Operators see their departments' and their own chats; admins the organisation's.",
    who,
    query: listQuery,
    answers: {
      200: {
        description: 'A page of conversations',
        schema: answer({ conversations: z.array(conversation), nextCursor }),
      },
    },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/conversations/:id',
    tag,
    summary: "A conversation with its queue position, the customer's earlier chats and its latest messages",
    who,
    params: idParam,
    query: detailQuery,
    answers: {
      200: {
        description: 'The conversation; `messagesNextCursor` pages back through its messages',
        schema: answer({
          conversation,
          queue: answer({ position: z.int(), waitingSeconds: z.int() })
            .nullable()
            .optional()
            .meta({ description: 'Where a waiting chat stands in its department; absent without a department' }),
          earlierConversations: z.array(
            answer({
              id,
              seq: z.int(),
              status: z.enum(CONVERSATION_STATUSES),
              closeReason: z.enum(CLOSE_REASONS).nullable(),
              createdAt: timestamp,
              closedAt: timestamp.nullable(),
            }),
          ),
          messages: z.array(message),
          messagesNextCursor: nextCursor,
        }),
      },
    },
    errors: { 404: ['not_found'] },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/conversations/:id/messages',
    tag,
    summary: 'A page of messages, the latest first; each page oldest first',
    who,
    params: idParam,
    query: pageQuery,
    answers: { 200: { description: 'A page of messages', schema: messagesPage } },
    errors: { 404: ['not_found'] },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/conversations/:id/messages/:messageId/attachments/:index',
    tag,
    summary: "Download a customer's attachment, fetched from Twilio with the organisation's subaccount (F17)",
    who,
    params: attachmentParams,
    answers: {
      200: {
        description: 'The file, as a download',
        contentType: '*/*',
        schema: z.string().meta({ format: 'binary' }),
      },
    },
    errors: {
      404: ['not_found'],
      409: ['consent_required', 'twilio_account_not_ready'],
      413: ['attachment_too_large'],
      422: ['attachment_unavailable'],
      502: ['provider_unavailable'],
    },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/conversations/:id/messages',
    tag,
    summary: 'Reply: a body, a mediaUrl, both, or a template; a retry with the same Idempotency-Key is sent once',
    description: '201 with `pending` while Twilio cannot be reached: the reply is recorded, charged and sent later.',
    who,
    params: idParam,
    headers: z.object({ 'Idempotency-Key': idempotencyKey.optional() }),
    body: replyBody,
    answers: { 201: { description: 'The reply, as recorded', schema: answer({ message: storedMessage }) } },
    errors: {
      ...busy,
      402: ['insufficient_points'],
      404: ['not_found'],
      409: ['conversation_closed', 'outside_customer_service_window'],
      415: ['attachment_type_not_allowed'],
      422: ['idempotency_key_reused'],
      502: ['provider_rejected', 'provider_unavailable'],
    },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/conversations/:id/close',
    tag,
    summary: 'Close a conversation',
    who,
    params: idParam,
    answers: { 200: { description: 'The closed conversation', schema: answer({ conversation }) } },
    errors: { ...busy, 404: ['not_found'], 409: ['conversation_closed', 'customer_wrote_again'] },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/conversations/:id/transfer',
    tag,
    summary: 'Move a conversation to an operator or a department',
    who,
    params: idParam,
    body: transferBody,
    answers: { 200: { description: 'The conversation, where it went', schema: answer({ conversation }) } },
    errors: { ...busy, 404: ['not_found'], 409: ['conversation_closed'] },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/events',
    tag: 'Events',
    summary: "The organisation's events as Server-Sent Events; resume with Last-Event-ID",
    description: 'Without `Last-Event-ID` or `after`, what happens from now on. At most 5 streams per key.',
    who,
    query: streamQuery,
    headers: z.object({ 'Last-Event-ID': position.optional() }),
    answers: { 200: { description: 'The stream', contentType: 'text/event-stream', schema: z.string() } },
    errors: { 429: ['too_many_requests'] },
  });
}
