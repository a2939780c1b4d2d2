import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createWorker } from '../worker/create-worker';
import { startApiServer } from '../src/api/api-server';
import { createPaymentGateway } from '../src/providers/payments/create-payment-gateway';
import { loadConfig } from '../src/config';
import { migrateDatabase, openDatabase } from '../src/db/database';
import { activeNumbers } from '../src/db/queries/number-queries';
import { ensureDemoOrg } from './demo-org';
import { embeddedPostgres, embeddedTemporal } from './embedded-services';
import { startTwilioEmulator } from './emulator/twilio-emulator';
import { createLogger } from '../src/logger';
import { runUntilSignal } from '../src/run-until-signal';
import { createTwilioClient } from '../src/providers/twilio/twilio-client';

const EMULATOR_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
const EMULATOR_AUTH_TOKEN = 'emulator-auth-token-not-secret';
const EMULATOR_PORT = 4010;

// `npm start`: the whole product on one machine, starting whatever is not configured.
runUntilSignal(async (onStop) => {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  // The SDK's own logs (bundling, worker states) would bury the banner; warnings still show.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dataDir = resolve(config.SWITCHBOARD_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`;
  const bootstrapToken = config.SWITCHBOARD_BOOTSTRAP_TOKEN ?? randomBytes(18).toString('base64url');
  const providerSecret = config.SWITCHBOARD_PROVIDER_SECRET ?? randomBytes(18).toString('base64url');

  const databaseUrl = config.DATABASE_URL ?? (await embeddedPostgres(dataDir, onStop));
  await migrateDatabase(databaseUrl);
  const database = openDatabase(databaseUrl);
  onStop(database.close);
  const temporal = config.TEMPORAL_ADDRESS
    ? { address: config.TEMPORAL_ADDRESS, uiUrl: undefined }
    : await embeddedTemporal(dataDir, onStop);

  let twilio = {
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    apiBaseUrl: config.TWILIO_API_BASE_URL,
  };
  let emulatorUrl: string | undefined;
  let onboardingDeskUrl = config.ONBOARDING_DESK_URL;
  let demo: Awaited<ReturnType<typeof ensureDemoOrg>>;
  if (!twilio.accountSid || !twilio.authToken) {
    demo = await ensureDemoOrg(database.db, dataDir);
    // The emulator forgets on restart; the numbers the database knows are senders again.
    const numbers = await activeNumbers(database.db);
    const emulator = await startTwilioEmulator({
      accountSid: EMULATOR_ACCOUNT_SID,
      authToken: EMULATOR_AUTH_TOKEN,
      port: EMULATOR_PORT,
      inboundWebhookUrl: `${publicBaseUrl}/webhooks/twilio/messages`,
      numbers: numbers.map((n) => ({ phoneNumber: n.e164, whatsappSender: true })),
    });
    onStop(emulator.close);
    emulatorUrl = emulator.url;
    twilio = { accountSid: EMULATOR_ACCOUNT_SID, authToken: EMULATOR_AUTH_TOKEN, apiBaseUrl: emulator.url };
    onboardingDeskUrl ??= `${emulator.url}/onboarding/v1/AccessRequests`;
  }

  const connection = await NativeConnection.connect({ address: temporal.address });
  onStop(() => connection.close());
  const clientConnection = await Connection.connect({ address: temporal.address });
  onStop(() => clientConnection.close());
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db: database.db,
    twilio: createTwilioClient({ accountSid: twilio.accountSid!, authToken: twilio.authToken!, apiBaseUrl: twilio.apiBaseUrl }),
    publicBaseUrl,
    onboardingDesk: onboardingDeskUrl ? { url: onboardingDeskUrl, accountSid: twilio.accountSid!, authToken: twilio.authToken! } : undefined,
    paymentGateway: createPaymentGateway(config),
    temporal: new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE }),
  });
  const running = worker.run();
  onStop(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });

  const api = await startApiServer({
    port: config.PORT,
    databaseUrl,
    temporalAddress: temporal.address,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    publicBaseUrl,
    twilioAccountSid: twilio.accountSid!,
    twilioAuthToken: twilio.authToken!,
    twilioApiBaseUrl: twilio.apiBaseUrl,
    bootstrapToken,
    providerSecret,
    paymentGateway: config.PAYMENT_GATEWAY,
    logger,
  });
  onStop(api.stop);

  const lines = [
    '',
    'Switchboard is running',
    `  API               ${api.url}`,
    temporal.uiUrl ? `  Temporal Web UI   ${temporal.uiUrl}` : `  Temporal          ${temporal.address}`,
    emulatorUrl ? `  Twilio emulator   ${emulatorUrl}` : '  Twilio            live account',
    `  Bootstrap token   ${config.SWITCHBOARD_BOOTSTRAP_TOKEN ? '(from SWITCHBOARD_BOOTSTRAP_TOKEN)' : bootstrapToken}`,
    `  Provider secret   ${config.SWITCHBOARD_PROVIDER_SECRET ? '(from SWITCHBOARD_PROVIDER_SECRET)' : providerSecret}`,
  ];
  if (demo) {
    lines.push(
      '',
      `Demo organisation${demo.created ? ' (created now; keys also in .data/demo-keys.json)' : ''}`,
      `  admin key         ${demo.keys.adminKey}`,
      `  operator key      ${demo.keys.operatorKey}`,
      `  WhatsApp number   ${demo.keys.number}`,
      '',
      `Play a customer:  npm run simulate -- --from +15550001111 --body "hi"`,
      `See the chat:     curl -H "Authorization: Bearer ${demo.keys.operatorKey}" ${api.url}/v1/conversations`,
    );
  }
  console.log(lines.join('\n'));
});
