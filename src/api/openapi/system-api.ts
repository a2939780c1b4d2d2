import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { inboundMessageForm, statusCallbackForm } from '../../providers/twilio/twilio-webhook-forms';
import { answer } from './common-schemas';
import { describeOperation } from './describe-operation';

const check = answer({ ok: z.boolean() });
const readiness = (status: string) =>
  answer({ status: z.literal(status), checks: answer({ postgres: check, temporal: check }) });

/** What every process or caller outside an organisation reaches: health, metrics, this document, Twilio's webhooks. */
export function describeSystem(registry: OpenAPIRegistry): void {
  const tag = 'Operations';
  describeOperation(registry, {
    method: 'get',
    path: '/healthz',
    tag,
    summary: 'The process serves',
    who: 'public',
    noDependencies: true,
    answers: { 200: { description: 'Up', schema: answer({ status: z.literal('ok') }) } },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/readyz',
    tag,
    summary: 'PostgreSQL and Temporal answer: the process can do its work',
    who: 'public',
    noDependencies: true,
    answers: {
      200: { description: 'Ready', schema: readiness('ready') },
      503: { description: 'A dependency does not answer (sent with Retry-After)', schema: readiness('unavailable') },
    },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/metrics',
    tag,
    summary: "The process's metrics in Prometheus's text format; off without METRICS_TOKEN",
    who: 'metrics token',
    noDependencies: true,
    answers: { 200: { description: 'The metrics', contentType: 'text/plain', schema: z.string() } },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/openapi.json',
    tag,
    summary: 'This document: OpenAPI 3.1, generated from the schemas the routes validate requests with',
    who: 'public',
    noDependencies: true,
    answers: {
      200: { description: 'The OpenAPI document', schema: z.looseObject({ openapi: z.string().startsWith('3.1') }) },
    },
  });
  describeOperation(registry, {
    method: 'get',
    path: '/v1/docs',
    tag,
    summary: 'This document, browsable (Swagger UI, served from this API: no CDN)',
    who: 'public',
    noDependencies: true,
    answers: { 200: { description: 'The page', contentType: 'text/html', schema: z.string() } },
  });

  const twilio = 'Twilio webhooks';
  describeOperation(registry, {
    method: 'post',
    path: '/webhooks/twilio/messages',
    tag: twilio,
    summary: "A customer's WhatsApp message, stored once per MessageSid before it is acknowledged",
    description:
      "Signed by the organisation's subaccount over PUBLIC_BASE_URL + path. 503 asks Twilio to deliver it again.",
    who: 'Twilio signature',
    form: inboundMessageForm,
    answers: { 200: { description: 'Stored: an empty TwiML answer', contentType: 'text/xml', schema: z.string() } },
    errors: { 404: ['unknown_number'] },
  });
  describeOperation(registry, {
    method: 'post',
    path: '/webhooks/twilio/status',
    tag: twilio,
    summary: "A message's status callback; a status never moves back",
    who: 'Twilio signature',
    form: statusCallbackForm,
    answers: { 200: { description: 'Recorded (or an unknown status, ignored); no body' } },
    errors: { 400: ['account_mismatch'] },
  });
}
