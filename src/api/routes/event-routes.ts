import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/database';
import type { EventWaker } from '../../db/event-waker';
import { departmentsOfOperator } from '../../db/queries/directory-queries';
import { eventsAfter, latestPosition, type EventReader, type StoredEvent } from '../../db/queries/event-queries';
import { eventPayload, formatPosition, isAfter, parsePosition, type EventPosition } from '../../domain/events';
import type { Logger } from '../../logger';
import { TooManyRequestsError, parse } from '../api-errors';
import { authOf } from '../auth';
import { eventFeeds } from '../event-feeds';

/** Streams one API key may hold open at once (per api process): a desk needs one per open tab. */
export const MAX_STREAMS_PER_KEY = 5;
const BATCH = 200;
/** Written but not yet read by its client: past this the stream is let go. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export const position = z
  .string()
  .transform((v, ctx) => parsePosition(v) ?? (ctx.addIssue({ code: 'custom', message: 'not an event id' }), z.NEVER))
  .meta({ description: 'The id of the last event the client saw' });
export const streamQuery = z.object({ after: position.optional() });

/** One event's SSE frame, made once however many streams send it (the feed hands them all the same event). */
const frames = new WeakMap<StoredEvent, string>();
function frame(e: StoredEvent): string {
  let made = frames.get(e);
  if (made === undefined) {
    made = `id: ${formatPosition(e)}\nevent: ${e.type}\ndata: ${JSON.stringify(eventPayload(e))}\n\n`;
    frames.set(e, made);
  }
  return made;
}

export interface EventStreamOptions {
  heartbeatMs?: number;
  /** Aborted as the process stops: every stream ends, and its client resumes elsewhere with Last-Event-ID. */
  closing?: AbortSignal;
}

/** What an operator may see, by their departments as they are now (looked at again at each heartbeat). */
async function visibility(db: Db, reader: EventReader): Promise<(e: StoredEvent) => boolean> {
  const { operatorId } = reader;
  if (!operatorId) return () => true;
  const departments = new Set(await departmentsOfOperator(db, operatorId));
  return (e) => e.operatorIds.includes(operatorId) || e.departmentIds.some((d) => departments.has(d));
}

/**
 * `GET /v1/events`: the organisation's events as Server-Sent Events, for desks. A client that reconnects
 * with `Last-Event-ID` (or `?after=`) gets exactly what it missed, in order; without either it gets what
 * happens from now on. An operator sees their departments' and their own chats' events, an admin all.
 */
export function eventsRouter(db: Db, waker: EventWaker, logger: Logger, opts: EventStreamOptions = {}): Router {
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const feeds = eventFeeds(db, waker, (err) => logger.warn({ err }, 'event feed could not read the log'));
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

    /** Catches up from the log on its own, then follows the organisation's feed; `at` never goes back. */
    async function stream(out: Response, start: EventPosition, signal: AbortSignal): Promise<void> {
      const live: StoredEvent[] = [];
      let wake = () => {};
      const leave = await feeds.subscribe(auth.orgId, (events) => (live.push(...events), wake()));
      signal.addEventListener('abort', () => wake(), { once: true });
      try {
        let at = start;
        const send = (e: StoredEvent) => (out.write(frame(e)), (at = e));
        for (let caughtUp = false; !caughtUp && !signal.aborted;) {
          const found = await eventsAfter(db, auth, at, BATCH);
          found.events.forEach(send);
          caughtUp = found.events.length < BATCH;
        }
        let sees = await visibility(db, auth);
        while (!signal.aborted) {
          for (const e of live.splice(0)) if (isAfter(e, at) && sees(e)) send(e);
          // A client that does not read its stream is let go: it resumes with Last-Event-ID when it can.
          if (out.writableLength > MAX_BUFFERED_BYTES) throw new Error('the client is not reading its stream');
          const woken = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), heartbeatMs);
            wake = () => (clearTimeout(timer), resolve(true));
          });
          if (!woken && !signal.aborted) {
            out.write(': heartbeat\n\n');
            sees = await visibility(db, auth);
          }
        }
      } finally {
        leave();
      }
    }
  });

  return r;
}
