import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import { eventsAfter, latestPosition, type StoredEvent } from '../../db/queries/event-queries';
import { eventPayload, formatPosition, parsePosition, type EventPosition } from '../../domain/events';
import type { Logger } from '../../logger';
import { TooManyRequestsError, parse } from '../api-errors';
import { authOf } from '../auth';
import type { EventWaker } from '../../db/event-waker';

/** Streams one API key may hold open at once (per api process): a desk needs one per open tab. */
export const MAX_STREAMS_PER_KEY = 5;
const BATCH = 200;
/** How soon to look again when later events wait behind a transaction still open. */
const LOOK_AGAIN_MS = 50;

export const position = z
  .string()
  .transform((v, ctx) => parsePosition(v) ?? (ctx.addIssue({ code: 'custom', message: 'not an event id' }), z.NEVER))
  .meta({ description: 'The id of the last event the client saw' });
export const streamQuery = z.object({ after: position.optional() });

const frame = (e: StoredEvent) =>
  `id: ${formatPosition(e)}\nevent: ${e.type}\ndata: ${JSON.stringify(eventPayload(e))}\n\n`;

/**
 * `GET /v1/events`: the organisation's events as Server-Sent Events, for desks. A client that reconnects
 * with `Last-Event-ID` (or `?after=`) gets exactly what it missed, in order; without either it gets what
 * happens from now on. An operator sees their departments' and their own chats' events, an admin all.
 */
export interface EventStreamOptions {
  heartbeatMs?: number;
  /** Aborted as the process stops: every stream ends, and its client resumes elsewhere with Last-Event-ID. */
  closing?: AbortSignal;
}

export function eventsRouter(db: Db, waker: EventWaker, logger: Logger, opts: EventStreamOptions = {}): Router {
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const open = new Map<string, number>();
  const r = Router();

  r.get('/', async (req, res) => {
    const auth = authOf(res);
    const query = parse(streamQuery, req.query, 'query');
    const resumeFrom = req.header('last-event-id');
    const from = resumeFrom === undefined ? query.after : parse(position, resumeFrom, 'Last-Event-ID header');
    const key = auth.keyId ?? auth.orgId;
    if ((open.get(key) ?? 0) >= MAX_STREAMS_PER_KEY)
      throw new TooManyRequestsError(`At most ${MAX_STREAMS_PER_KEY} event streams per API key at once`, 5);
    const after = from ?? (await latestPosition(db, auth.orgId));
    open.set(key, (open.get(key) ?? 0) + 1);
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const ended = opts.closing ? AbortSignal.any([gone.signal, opts.closing]) : gone.signal;
    res.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // Proxies (nginx) would otherwise hold events back until their buffer fills.
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.write(`retry: 2000\n\n`);
    try {
      await stream(res, after, ended);
    } catch (err) {
      // A database outage ends the stream: the client reconnects with Last-Event-ID and loses nothing.
      logger.warn({ err, orgId: auth.orgId }, 'event stream ended by an error');
    } finally {
      open.set(key, (open.get(key) ?? 1) - 1);
      res.end();
    }

    async function stream(out: Response, start: EventPosition, signal: AbortSignal): Promise<void> {
      let at = start;
      while (!signal.aborted) {
        const found = await eventsAfter(db, auth, at, BATCH);
        for (const e of found.events) out.write(frame(e));
        at = found.events.at(-1) ?? at;
        if (found.events.length === BATCH) continue;
        const waited = Date.now();
        await waker.wait(auth.orgId, found.behindOpenTransaction ? LOOK_AGAIN_MS : heartbeatMs, signal);
        if (Date.now() - waited >= heartbeatMs && !signal.aborted) out.write(': heartbeat\n\n');
      }
    }
  });

  return r;
}
