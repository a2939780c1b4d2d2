import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type postgres from 'postgres';

export function healthRouter(sql: postgres.Sql, temporal: Client): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const timeout = <T>(p: Promise<T>) =>
      Promise.race([
        p,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out after 2s')), 2000)),
      ]);
    const check = async (work: () => Promise<unknown>) => {
      try {
        await timeout(work());
        return { ok: true };
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      }
    };
    const [postgresCheck, temporalCheck] = await Promise.all([
      check(() => sql`select 1`),
      check(() => temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ready = postgresCheck.ok && temporalCheck.ok;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'unavailable', checks: { postgres: postgresCheck, temporal: temporalCheck } });
  });
  return r;
}
