import type { Db } from '../src/db/database';
import { pruneEvents } from '../src/db/queries/event-queries';
import { pruneDeliveries } from '../src/db/queries/webhook-queries';
import type { Logger } from '../src/logger';
import type { OnStop } from '../src/run-until-signal';

const EVERY_MS = 60 * 60_000;

/**
 * Every worker forgets events (and their webhook deliveries) older than the retention period each hour:
 * a desk or an endpoint further behind than that has lost them. Several workers doing it at once only
 * delete the same rows once.
 */
export function startEventRetention(deps: { db: Db; retentionDays: number; logger: Logger }, onStop: OnStop): void {
  let pruning: Promise<void> | undefined;
  const prune = async () => {
    try {
      const before = new Date(Date.now() - deps.retentionDays * 86_400_000);
      let gone = 0;
      for (let batch = -1; batch !== 0; gone += batch) batch = await pruneEvents(deps.db, before);
      await pruneDeliveries(deps.db, before);
      if (gone) deps.logger.info({ events: gone, before }, 'forgot events past their retention');
    } catch (err) {
      deps.logger.warn({ err }, 'event retention failed; trying again in an hour');
    } finally {
      pruning = undefined;
    }
  };
  const timer = setInterval(() => (pruning ??= prune()), EVERY_MS);
  onStop(async () => {
    clearInterval(timer);
    await pruning;
  });
}
