import { Client, Connection } from '@temporalio/client';
import type { Server } from 'node:http';
import { openDatabase } from '../db/database';
import { currentCorrelation } from '../correlation';
import type { OnStop } from '../run-until-signal';
import { requestIdInterceptor } from '../workflow-client/request-id-interceptor';
import { createApp, type AppDeps } from './app';

export interface ApiServerOptions extends Omit<AppDeps, 'db' | 'sql' | 'temporal'> {
  port: number;
  /** Unset: every interface. */
  host?: string;
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
}

/** Every workflow call the API makes names the request it serves. */
export const apiRequestIds = requestIdInterceptor(() => currentCorrelation().requestId);

/** Opens the database and Temporal connections, and listens; each is stopped in reverse order. */
export async function startApiServer(opts: ApiServerOptions, onStop: OnStop): Promise<{ url: string }> {
  const { port, host, databaseUrl, temporalAddress, namespace, ...deps } = opts;
  const database = openDatabase(databaseUrl);
  onStop(database.close);
  const connection = await Connection.connect({ address: temporalAddress });
  onStop(() => connection.close());
  const temporal = new Client({ connection, namespace, interceptors: { workflow: [apiRequestIds] } });
  // Event streams never finish on their own: they end first, so the server can close once requests are done.
  const closing = new AbortController();
  const eventStreams = { ...deps.eventStreams, closing: closing.signal };
  const app = createApp({ ...deps, eventStreams, db: database.db, sql: database.sql, temporal });
  const server: Server = await new Promise((resolve, reject) => {
    const s = host ? app.listen(port, host, () => resolve(s)) : app.listen(port, () => resolve(s));
    s.once('error', reject);
  });
  onStop(
    () =>
      new Promise((resolve) => {
        closing.abort();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  return { url: `http://localhost:${typeof address === 'object' && address ? address.port : port}` };
}
