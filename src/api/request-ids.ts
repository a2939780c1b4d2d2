import type { RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import { withCorrelation } from '../correlation';

/**
 * An id a proxy or client already gave the request (a UUID, a load balancer's trace id) is kept, so one id
 * follows it through every hop; anything longer or with other characters could forge log lines, and is
 * replaced.
 */
const SANE_REQUEST_ID = /^[\w.:=+/-]{1,128}$/;

/**
 * Gives every request an id (its `X-Request-Id` when sane, else a new UUID), answers with it in the
 * `X-Request-Id` header, and serves the request inside it: every log line written meanwhile carries it
 * (src/logger.ts), and so does every workflow start, signal and update made for it (the Temporal client's
 * interceptor, src/workflow-client/request-id-interceptor.ts).
 */
export function requestIds(): RequestHandler {
  return (req, res, next) => {
    const given = req.header('x-request-id');
    const requestId = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    res.locals.requestId = requestId;
    withCorrelation({ requestId }, next);
  };
}
