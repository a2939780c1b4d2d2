import { Router } from 'express';
import { Registry } from 'prom-client';
import type { Db } from '../../db/database';
import { queueLengths } from '../../db/queries/queue-length-queries';
import type { Logger } from '../../logger';
import { queueLengthRegistry, registry } from '../../metrics';
import { requireBearerSecret } from '../auth';

/** A scrape waits this long for the queue lengths, then is served without them. */
const QUEUE_READ_TIMEOUT_MS = 2000;

function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), QUEUE_READ_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `GET /metrics`: this process's metrics and the queue lengths, in Prometheus's text format. The figures
 * are the business's (queues per tenant, messages, refills), and the API faces the internet, so only a
 * scraper holding METRICS_TOKEN may read them; without the variable the route is off (403 metrics_disabled).
 */
export function metricsRouter(db: Db, logger: Logger, metricsToken: string | undefined): Router {
  const queues = queueLengthRegistry(() => withinTimeout(queueLengths(db)));
  const r = Router();
  r.get('/metrics', requireBearerSecret(metricsToken, 'METRICS_TOKEN', 'metrics_disabled'), async (_req, res) => {
    let text: string;
    try {
      text = await Registry.merge([registry, queues]).metrics();
    } catch (err) {
      // The database's outage is when the other figures matter most: they are served, the queues left out.
      logger.warn({ err }, 'metrics: queue lengths could not be read; served without them');
      text = await registry.metrics();
    }
    res.type(registry.contentType).send(text);
  });
  return r;
}
