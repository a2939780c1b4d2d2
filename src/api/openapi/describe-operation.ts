import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/**
 * Who may call an operation: its security scheme in the document, and the refusals that check answers
 * (README: "Errors"). The schemes themselves are registered by `openapi-document.ts`.
 */
export const CALLERS = {
  public: { schemes: [], refusals: {} },
  admin: { schemes: ['apiKey'], refusals: { 401: ['unauthenticated'], 403: ['forbidden'] } },
  'admin or operator': { schemes: ['apiKey'], refusals: { 401: ['unauthenticated'] } },
  // An operator of another department is refused by the route itself (404 or 403), which names it.
  'admin or operator of its department': { schemes: ['apiKey'], refusals: { 401: ['unauthenticated'] } },
  'the operator themself or admin': { schemes: ['apiKey'], refusals: { 401: ['unauthenticated'], 403: ['forbidden'] } },
  'bootstrap token': {
    schemes: ['bootstrapToken'],
    refusals: { 401: ['unauthenticated'], 403: ['bootstrap_disabled'] },
  },
  'provider secret': {
    schemes: ['providerSecret'],
    refusals: { 401: ['unauthenticated'], 403: ['provider_disabled'] },
  },
  'integration key': {
    schemes: ['integrationKey'],
    refusals: { 401: ['unauthenticated'], 403: ['integration_key_required', 'forbidden'] },
  },
  'visitor token': {
    schemes: ['visitorToken'],
    refusals: { 401: ['unauthenticated'], 429: ['too_many_requests'] },
  },
  'Twilio signature': {
    schemes: ['twilioSignature'],
    refusals: { 403: ['missing_signature', 'invalid_signature', 'unknown_account'], 413: ['payload_too_large'] },
  },
  'metrics token': { schemes: ['metricsToken'], refusals: { 401: ['unauthenticated'], 403: ['metrics_disabled'] } },
} as const satisfies Record<string, { schemes: string[]; refusals: Codes }>;
export type Caller = keyof typeof CALLERS;

/** Error codes a route answers, by HTTP status. */
export type Codes = Partial<Record<number, readonly string[]>>;

export interface Answer {
  description: string;
  /** JSON unless `contentType` says otherwise; none for an empty answer (204). */
  schema?: z.ZodType;
  contentType?: string;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As Express mounts it (`/v1/conversations/:id`); written `{id}` in the document. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  who: Caller;
  /** The schemas the route parses: one object validates the request and describes it. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** Twilio's webhooks: a form, `application/x-www-form-urlencoded`. */
  form?: z.ZodType;
  answers: Record<number, Answer>;
  errors?: Codes;
  /** Answers without PostgreSQL or Temporal, so never 503 `temporarily_unavailable`. */
  noDependencies?: boolean;
}

/** Every error answer's body (src/api/error-responses.ts): its code, a message, the request's id, and details. */
const errorBody = (codes: readonly string[]) =>
  z.object({
    error: z.looseObject({
      code: z.enum(codes as [string, ...string[]]),
      message: z.string(),
      requestId: z.string().meta({ description: 'X-Request-Id of the request: its log lines carry it' }),
    }),
  });

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' as const } },
};

/** Adds codes to `into`, each status's list without repeats. */
function merge(into: Record<number, string[]>, codes: Codes) {
  for (const [status, list] of Object.entries(codes)) {
    into[Number(status)] = [...new Set([...(into[Number(status)] ?? []), ...(list ?? [])])];
  }
}

/** The refusals every request of this kind can meet before the route's own code runs. */
function implied(op: Operation): Codes {
  const codes: Record<number, string[]> = {};
  merge(codes, CALLERS[op.who].refusals);
  if (op.params) merge(codes, { 400: ['validation_failed', 'malformed_path'] });
  if (op.query || op.headers) merge(codes, { 400: ['validation_failed'] });
  if (op.body) merge(codes, { 400: ['validation_failed', 'malformed_body'], 413: ['payload_too_large'] });
  if (op.body) merge(codes, { 415: ['unsupported_encoding'] });
  if (op.form) merge(codes, { 400: ['validation_failed'], 413: ['payload_too_large'], 415: ['unsupported_encoding'] });
  if (!op.noDependencies) merge(codes, { 503: ['temporarily_unavailable'] });
  return codes;
}

const content = (answer: Answer) =>
  answer.schema && { [answer.contentType ?? 'application/json']: { schema: answer.schema } };

export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** Registers one route: who may call it, what it takes (the route's own schemas), and every answer. */
export function describeOperation(registry: OpenAPIRegistry, op: Operation): void {
  const errors: Record<number, string[]> = {};
  merge(errors, implied(op));
  merge(errors, op.errors ?? {});
  const responses: RouteConfig['responses'] = {};
  for (const [status, answer] of Object.entries(op.answers)) {
    responses[status] = { description: answer.description, content: content(answer) };
  }
  for (const [status, codes] of Object.entries(errors)) {
    responses[status] = {
      description: codes.map((c) => `\`${c}\``).join(', '),
      headers: status === '503' || status === '429' ? RETRY_AFTER : undefined,
      content: { 'application/json': { schema: errorBody(codes) } },
    };
  }
  const body = op.body ?? op.form;
  const bodyType = op.form ? 'application/x-www-form-urlencoded' : 'application/json';
  registry.registerPath({
    method: op.method,
    path: openApiPath(op.path),
    tags: [op.tag],
    summary: op.summary,
    description: [op.description, `**Who may call it:** ${op.who}.`].filter(Boolean).join('\n\n'),
    security: CALLERS[op.who].schemes.map((scheme) => ({ [scheme]: [] })),
    request: {
      params: op.params,
      query: op.query,
      headers: op.headers,
      body: body && { required: true, content: { [bodyType]: { schema: body } } },
    },
    responses,
  });
}
