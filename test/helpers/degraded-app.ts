import { Client, Connection } from '@temporalio/client';
import { createServer } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { freePort } from '../../dev/free-port';
import { createApp } from '../../src/api/app';
import { openDatabase } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { requestTo, SECRETS_KEY, type Harness } from './use-harness';

/**
 * The file's app with Temporal or PostgreSQL down (a port nothing listens on), beside the live one:
 * the same database and task queue, so what it leaves behind can be checked, and retried, on the live app.
 * `bringDatabaseBack()` starts forwarding that port to the live PostgreSQL, as a restart ends.
 */
export async function degradedApp(h: Harness, down: 'temporal' | 'database') {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const databasePort = await freePort();
  const live = new URL(h.databaseUrl);
  const deadDb =
    down === 'database'
      ? openDatabase(`postgres://${live.username}@127.0.0.1:${databasePort}${live.pathname}`)
      : undefined;
  let forwarder: NetServer | undefined;
  const bringDatabaseBack = async () => {
    forwarder = createNetServer((client) => {
      const upstream = connect(Number(live.port), live.hostname);
      client.pipe(upstream).pipe(client);
      const drop = () => (client.destroy(), upstream.destroy());
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((resolve) => forwarder!.listen(databasePort, '127.0.0.1', resolve));
  };
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
      twilio: h.subaccounts,
      secretsKey: SECRETS_KEY,
    }),
  );
  /** The live harness, pointed at this app: `app.request(...)` and signed webhooks go here. */
  const app: Harness = {
    ...h,
    apiUrl,
    request: (method, path, opts) => requestTo(apiUrl, method, path, { checkDocumented: true, ...opts }),
  };
  const close = async () => {
    await new Promise((resolve) => server.close(resolve));
    await deadDb?.close();
    await new Promise((resolve) => (forwarder ? forwarder.close(resolve) : resolve(undefined)));
  };
  return { app, close, bringDatabaseBack };
}
