import type { Db } from '../db/database';
import type { EventWaker } from '../db/event-waker';
import { eventsAfter, latestPosition, type StoredEvent } from '../db/queries/event-queries';
import type { EventPosition } from '../domain/events';

const BATCH = 500;
/** How soon to look again when later events wait behind a transaction still open. */
const LOOK_AGAIN_MS = 50;
/** A feed looks at the log at least this often, in case a notification was lost. */
const IDLE_LOOK_MS = 5_000;

type Listener = (events: StoredEvent[]) => void;

/**
 * One reader of an organisation's log per API process, however many of its streams are open: after each
 * notification it reads the new events once and hands them to every stream, which keeps those its key may
 * see. With a reader per stream, 100 desks at 50 messages a second read the same rows ten thousand times a
 * second. A feed runs while it has listeners.
 */
export function eventFeeds(db: Db, waker: EventWaker, onError: (err: unknown) => void) {
  const feeds = new Map<string, { listeners: Set<Listener>; ready: Promise<void> }>();

  async function run(orgId: string, listeners: Set<Listener>, ready: () => void) {
    const quiet = new AbortController().signal;
    const pause = () => new Promise((resolve) => setTimeout(resolve, 1_000));
    let head: EventPosition | undefined;
    while (!head && listeners.size > 0)
      head = await latestPosition(db, orgId).catch((err: unknown) => (onError(err), pause().then(() => undefined)));
    ready();
    while (head && listeners.size > 0) {
      try {
        const mark = waker.mark(orgId);
        const found = await eventsAfter(db, { orgId, operatorId: null }, head, BATCH);
        head = found.events.at(-1) ?? head;
        if (found.events.length) for (const listener of listeners) listener(found.events);
        if (found.events.length === BATCH) continue;
        await waker.wait(orgId, mark, found.behindOpenTransaction ? LOOK_AGAIN_MS : IDLE_LOOK_MS, quiet);
      } catch (err) {
        // The database is away: the feed tries again; its streams get what it reads once it is back.
        onError(err);
        await pause();
      }
    }
    feeds.delete(orgId);
  }

  return {
    /**
     * Hands `listener` every event of the organisation the feed reads after this resolves, in log order,
     * until the returned function is called. Whatever happened before must be read by the caller: after
     * this resolves, a read of the log covers everything the feed has not handed on.
     */
    async subscribe(orgId: string, listener: Listener): Promise<() => void> {
      let feed = feeds.get(orgId);
      if (!feed) {
        const listeners = new Set<Listener>();
        let ready = () => {};
        feed = { listeners, ready: new Promise<void>((resolve) => (ready = resolve)) };
        feeds.set(orgId, feed);
        listeners.add(listener);
        void run(orgId, listeners, ready).catch(onError);
      } else feed.listeners.add(listener);
      const { listeners } = feed;
      await feed.ready;
      return () => listeners.delete(listener);
    },
  };
}

export type EventFeeds = ReturnType<typeof eventFeeds>;
