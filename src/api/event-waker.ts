import { EventEmitter } from 'node:events';
import type postgres from 'postgres';
import { EVENTS_CHANNEL } from '../db/queries/event-queries';
import type { Logger } from '../logger';

/** Woken by everyone after the listening connection is (re)made: notifications may have been missed meanwhile. */
const EVERYONE = '*';

/**
 * One LISTEN connection per API process tells its event streams when their organisation has news; the
 * outbox stays the truth (a stream reads it after each wake, and at each heartbeat anyway), so a lost
 * notification only delays an event, never loses it. Listening starts with the first stream.
 */
export function eventWaker(sql: postgres.Sql, logger: Logger) {
  const news = new EventEmitter().setMaxListeners(0);
  let listening: Promise<unknown> | undefined;
  const listen = () =>
    (listening ??= sql
      .listen(
        EVENTS_CHANNEL,
        (orgId) => news.emit(orgId),
        () => news.emit(EVERYONE),
      )
      .catch((err: unknown) => {
        listening = undefined;
        logger.warn({ err }, 'event notifications unavailable; streams fall back to their heartbeat');
      }));

  return {
    /** Resolves at the organisation's next notification, after `ms`, or when `signal` aborts: whichever is first. */
    wait(orgId: string, ms: number, signal: AbortSignal): Promise<void> {
      void listen();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          news.off(orgId, done).off(EVERYONE, done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        news.once(orgId, done).once(EVERYONE, done);
        signal.addEventListener('abort', done, { once: true });
      });
    },
  };
}

export type EventWaker = ReturnType<typeof eventWaker>;
