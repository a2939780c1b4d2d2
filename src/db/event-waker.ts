import { EventEmitter } from 'node:events';
import type postgres from 'postgres';
import { EVENTS_CHANNEL } from './queries/event-queries';

/** Woken by everyone after the listening connection is (re)made: notifications may have been missed meanwhile. */
const EVERYONE = '*';

/**
 * One LISTEN connection per process tells its readers of the log (the API's event feeds, the worker's
 * webhook deliveries) when their organisation has news; the outbox stays the truth, so a lost notification
 * only delays an event, never loses it. Listening starts with the first use; `onError` hears why it could not.
 *
 * A reader takes a `mark()` before it reads and waits with it: a notification that came while it was
 * reading wakes it at once, rather than being lost because nobody was waiting just then.
 */
export function eventWaker(sql: postgres.Sql, onError: (err: unknown) => void) {
  const news = new EventEmitter().setMaxListeners(0);
  const heard = new Map<string, number>();
  let everyone = 0;
  const hear = (orgId: string) => {
    heard.set(orgId, (heard.get(orgId) ?? 0) + 1);
    news.emit(orgId);
  };
  let listening: Promise<unknown> | undefined;
  const listen = () =>
    (listening ??= sql
      .listen(EVENTS_CHANNEL, hear, () => {
        everyone += 1;
        news.emit(EVERYONE);
      })
      .catch((err: unknown) => {
        listening = undefined;
        onError(err);
      }));

  /** What has been heard for the organisation so far. */
  const markOf = (orgId: string) => `${heard.get(orgId) ?? 0}:${everyone}`;

  return {
    mark(orgId: string): string {
      void listen();
      return markOf(orgId);
    },
    /**
     * Resolves true at once if the organisation had news since `mark`, else at its next notification; false
     * after `ms` or when `signal` aborts, whichever is first.
     */
    wait(orgId: string, mark: string, ms: number, signal: AbortSignal): Promise<boolean> {
      void listen();
      if (markOf(orgId) !== mark) return Promise.resolve(true);
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
