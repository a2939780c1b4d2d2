import { EventEmitter } from 'node:events';
import type postgres from 'postgres';
import { EVENTS_CHANNEL } from './queries/event-queries';

/** Woken by everyone after the listening connection is (re)made: notifications may have been missed meanwhile. */
const EVERYONE = '*';

/**
 * One LISTEN connection per API process tells its event streams when their organisation has news; the
 * outbox stays the truth (a stream reads it after each wake, and at each heartbeat anyway), so a lost
 * notification only delays an event, never loses it. Listening starts with the first wait, once per process
 * (the API's event streams, the worker's webhook deliveries); `onError` hears why it could not.
 */
export function eventWaker(sql: postgres.Sql, onError: (err: unknown) => void) {
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
        onError(err);
      }));

  return {
    /**
     * Resolves at the organisation's next notification (true), or after `ms` or when `signal` aborts
     * (false): whichever is first.
     */
    wait(orgId: string, ms: number, signal: AbortSignal): Promise<boolean> {
      void listen();
      return new Promise((resolve) => {
        const done = (notified: boolean) => () => {
          clearTimeout(timer);
          news.off(orgId, woken).off(EVERYONE, woken);
          signal.removeEventListener('abort', quiet);
          resolve(notified);
        };
        const [woken, quiet] = [done(true), done(false)];
        const timer = setTimeout(quiet, ms);
        news.once(orgId, woken).once(EVERYONE, woken);
        signal.addEventListener('abort', quiet, { once: true });
      });
    },
  };
}

export type EventWaker = ReturnType<typeof eventWaker>;
