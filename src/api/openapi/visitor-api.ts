import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { idempotencyKey, idParam } from '../request-schemas';
import { createBody, messageBody, pollQuery } from '../routes/visitor-routes';
import { answer, id, shownOnce, timestamp } from './common-schemas';
import { describeOperation } from './describe-operation';

const posted = answer({ messageId: id, conversationId: id });

/** F2: website and app visitors, in the same conversations as WhatsApp's customers. */
export function describeVisitors(registry: OpenAPIRegistry): void {
  const tag = 'Visitors';
  describeOperation(registry, {
    method: 'post',
    path: '/v1/visitor-sessions',
    tag,
    summary: 'Open a visitor session for the website or app, with its visitor token',
    who: 'admin',
    body: createBody,
    answers: {
      201: {
        description: 'The session and its token',
        schema: answer({
          session: answer({ id, channel: z.enum(['web', 'app']), createdAt: timestamp, expiresAt: timestamp }),
          visitorToken: shownOnce('sb_vis_'),
        }),
      },
    },
    errors: { 404: ['brand_not_found', 'department_not_found'], 422: ['department_not_linked_to_brand'] },
  });
  describeOperation(registry, {
    method: 'delete',
    path: '/v1/visitor-sessions/:id',
    tag,
    summary: 'Revoke a session: its token stops working at once',
    who: 'admin',
    params: idParam,
    answers: { 204: { description: 'Revoked' } },
    errors: { 404: ['not_found'] },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/v1/visitor-sessions/:id/messages',
    tag,
    summary: 'The visitor writes; a retry with the same Idempotency-Key is the same message',
    description: 'Rate-limited per session and per client address (README: "One inbox").',
    who: 'visitor token',
    params: idParam,
    headers: z.object({ 'Idempotency-Key': idempotencyKey.optional() }),
    body: messageBody,
    answers: {
      201: { description: 'Recorded', schema: posted },
      200: { description: 'Recorded before, under the same Idempotency-Key', schema: posted },
    },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/visitor-sessions/:id/messages',
    tag,
    summary: "Long-poll the visitor's conversation: answers when something is after `after`, or after `waitSeconds`",
    who: 'visitor token',
    params: idParam,
    query: pollQuery,
    answers: {
      200: {
        description: 'The messages after `after`, oldest first; pass `cursor` back as `after`',
        schema: answer({
          messages: z.array(
            answer({ id, direction: z.enum(['inbound', 'outbound']), body: z.string(), createdAt: timestamp }),
          ),
          cursor: z.string(),
        }),
      },
    },
  });
}
