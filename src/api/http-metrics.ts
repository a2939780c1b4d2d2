import type { Request, RequestHandler } from 'express';
import { subscribe } from 'node:diagnostics_channel';
import { httpRequestDuration, httpRequests, replies, webhookAckDuration } from '../metrics';

/** The label of a request no route handler took: an unknown path, or one refused before its route ran. */
export const UNMATCHED_ROUTE = 'unmatched';

const INBOUND_WEBHOOK = '/webhooks/twilio/messages';

/**
 * The route pattern each request reached, e.g. `/v1/conversations/:id/messages`. Read as the route's own
 * handler starts (Express's router announces each handler on this diagnostics channel): after an error,
 * Express has already restored `req.baseUrl`, so at the answer the route's mount path is gone.
 */
const routePatterns = new WeakMap<Request, string>();
subscribe('tracing:express.router.request:start', (message) => {
  const { req, layer } = message as { req: Request; layer: unknown };
  const route = req.route as { path: string; stack: unknown[] } | undefined;
  if (route?.stack.includes(layer)) routePatterns.set(req, `${req.baseUrl}${route.path}`);
});

/**
 * Counts and times every request by method, route pattern and status (never the raw URL: its ids would
 * make a series per conversation), and times Twilio's inbound webhook from arrival to answer.
 */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const labels = { method: req.method, route: routePatterns.get(req) ?? UNMATCHED_ROUTE, status: res.statusCode };
      httpRequests.inc(labels);
      httpRequestDuration.observe(labels, seconds);
      if (req.method === 'POST' && req.originalUrl.split('?')[0] === INBOUND_WEBHOOK)
        webhookAckDuration.observe({ status: res.statusCode }, seconds);
    });
    next();
  };
}

/**
 * Counts an operator's reply by its answer: `sent` (201, Twilio took it), `pending` (201, Twilio could not be
 * reached yet; it is still sent) or `refused` with the error code (`insufficient_points`,
 * `conversation_closed`, …). The route leaves the reply's status in `res.locals.replyStatus`, and the error
 * handler its code in `res.locals.errorCode`.
 */
export function countReplies(): RequestHandler {
  return (_req, res, next) => {
    res.once('finish', () => {
      const { replyStatus, errorCode } = res.locals as { replyStatus?: string; errorCode?: string };
      if (res.statusCode !== 201) replies.inc({ outcome: 'refused', code: errorCode ?? String(res.statusCode) });
      else replies.inc({ outcome: replyStatus === 'pending' ? 'pending' : 'sent', code: '' });
    });
    next();
  };
}
