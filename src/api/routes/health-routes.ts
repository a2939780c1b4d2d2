import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type postgres from 'postgres';
import type { Logger } from '../../logger';
import { RETRY_AFTER_SECONDS } from '../error-responses';

const CHECK_TIMEOUT_MS = 2000;

/** `/healthz`: the process serves. `/readyz`: it can also do its work, since PostgreSQL and Temporal answer. */
export function healthRouter(sql: postgres.Sql, temporal: Client, logger: Logger): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const check = async (dependency: string, work: () => Promise<unknown>) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          work(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS))),
        ]);
        return { ok: true };
      } catch (err) {
        // A driver's message can name hosts, users and databases: it goes to the logs, not to the prober.
        logger.warn({ err, dependency }, 'readiness: a dependency does not answer');
        return { ok: false };
      } finally {
        clearTimeout(timer);
      }
    };
    const [postgresCheck, temporalCheck] = await Promise.all([
      check('postgres', () => sql`select 1`),
      check('temporal', () => temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ready = postgresCheck.ok && temporalCheck.ok;
    // Load balancers and Twilio's retries back off by it, as on every other 503 this API sends.
    if (!ready) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'unavailable', checks: { postgres: postgresCheck, temporal: temporalCheck } });
  });
  return r;
}
