import { Client, Connection } from '@temporalio/client';
import type { Server } from 'node:http';
import { openDatabase } from '../db/database';
import { createApp } from './app';
import type { Logger } from '../logger';

export interface ApiServerOptions {
  port: number;
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  publicBaseUrl: string;
  twilioAccountSid: string;
  twilioAuthToken: string;
  twilioApiBaseUrl?: string;
  bootstrapToken?: string;
  providerSecret?: string;
  paymentGateway: string;
  logger: Logger;
}

export interface RunningApi {
  url: string;
  stop: () => Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApi> {
  const database = openDatabase(opts.databaseUrl);
  const connection = await Connection.connect({ address: opts.temporalAddress });
  const temporal = new Client({ connection, namespace: opts.namespace });
  const app = createApp({
    db: database.db,
    sql: database.sql,
    temporal,
    taskQueue: opts.taskQueue,
    logger: opts.logger,
    publicBaseUrl: opts.publicBaseUrl,
    twilioAccountSid: opts.twilioAccountSid,
    twilioAuthToken: opts.twilioAuthToken,
    twilioApiBaseUrl: opts.twilioApiBaseUrl,
    bootstrapToken: opts.bootstrapToken,
    providerSecret: opts.providerSecret,
    paymentGateway: opts.paymentGateway,
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://localhost:${port}`,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await connection.close();
      await database.close();
    },
  };
}
