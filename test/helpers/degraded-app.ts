import { Client, Connection } from '@temporalio/client';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app';
import { openDatabase } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { ACCOUNT_SID, AUTH_TOKEN, requestTo, type Harness } from './use-harness';

/**
 * The file's app with Temporal or PostgreSQL down (a port nothing listens on), beside the live one:
 * the same database and task queue, so what it leaves behind can be checked, and retried, on the live app.
 */
export async function degradedApp(h: Harness, down: 'temporal' | 'database') {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deadDb = down === 'database' ? openDatabase('postgres://postgres@127.0.0.1:1/none') : undefined;
  const temporal =
    down === 'temporal'
      ? new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 }) })
      : h.temporal;
  const db = deadDb ?? h.database;
  server.on(
    'request',
    createApp({
      db: db.db,
      sql: db.sql,
      temporal,
      taskQueue: h.taskQueue,
      logger: createLogger('silent'),
      publicBaseUrl: apiUrl,
      twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN },
    }),
  );
  /** The live harness, pointed at this app: `app.request(...)` and signed webhooks go here. */
  const app: Harness = { ...h, apiUrl, request: (method, path, opts) => requestTo(apiUrl, method, path, opts) };
  const close = async () => {
    await new Promise((resolve) => server.close(resolve));
    await deadDb?.close();
  };
  return { app, close };
}
