import { DefaultLogger, Runtime } from '@temporalio/worker';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startApiServer } from '../src/api/api-server';
import { loadConfig, onboardingDeskOf, warnIfPaymentSandbox, webhookSettings } from '../src/config';
import { migrateDatabase, openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';
import { createPaymentGateway } from '../src/providers/payments/create-payment-gateway';
import { tenantAccounts } from '../src/providers/twilio/sealed-credentials';
import { runUntilSignal } from '../src/run-until-signal';
import { startWorker } from '../worker/start-worker';
import { temporalMetricsTelemetry } from '../worker/temporal-metrics';
import { startDemoTwilio } from './demo-twilio';
import { devSecretsFor } from './dev-secrets';
import { embeddedPostgres, embeddedTemporal, ensurePortFree, loadEmbeddedPorts } from './embedded-services';

// `npm start`: the whole product on one machine, starting whatever is not configured.
runUntilSignal(async (onStop) => {
  const config = loadConfig();
  const ports = loadEmbeddedPorts();
  const logger = createLogger(config.LOG_LEVEL);
  // The SDK's own logs (bundling, worker states) would bury the banner; warnings still show.
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: temporalMetricsTelemetry(config.TEMPORAL_METRICS_PORT),
  });
  const dataDir = resolve(config.SWITCHBOARD_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  await ensurePortFree(config.PORT, 'PORT');
  const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`;
  const secrets = devSecretsFor(dataDir, config);
  const { bootstrapToken, providerSecret } = secrets;

  const databaseUrl = config.DATABASE_URL ?? (await embeddedPostgres(dataDir, ports.EMBEDDED_POSTGRES_PORT, onStop));
  await migrateDatabase(databaseUrl);
  const database = openDatabase(databaseUrl);
  onStop(database.close);
  const temporal = config.TEMPORAL_ADDRESS
    ? { address: config.TEMPORAL_ADDRESS, uiUrl: undefined }
    : await embeddedTemporal(dataDir, ports, onStop);

  const secretsKey = Buffer.from(secrets.secretsKey, 'base64');
  let demoTwilio: Awaited<ReturnType<typeof startDemoTwilio>> | undefined;
  if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN) {
    await ensurePortFree(ports.EMULATOR_PORT, 'EMULATOR_PORT');
    const emulated = { dataDir, port: ports.EMULATOR_PORT, publicBaseUrl, secretsKey, deskToken: secrets.deskToken };
    demoTwilio = await startDemoTwilio(database.db, emulated, onStop);
  }
  const twilio = demoTwilio?.main ?? {
    accountSid: config.TWILIO_ACCOUNT_SID!,
    authToken: config.TWILIO_AUTH_TOKEN!,
    apiBaseUrl: config.TWILIO_API_BASE_URL,
  };
  const onboardingDesk = config.ONBOARDING_DESK_URL ? onboardingDeskOf(config) : demoTwilio?.onboardingDesk;
  const demo = demoTwilio?.demo;
  // The demo chooses the sandbox itself (and says so); a deployment must name its gateway.
  const payments = { ...config, PAYMENT_GATEWAY: config.PAYMENT_GATEWAY ?? 'sandbox' };
  warnIfPaymentSandbox(payments, logger);
  const paymentGateway = createPaymentGateway(payments);
  const { TEMPORAL_NAMESPACE: namespace, TEMPORAL_TASK_QUEUE: taskQueue } = config;

  const worker = { temporalAddress: temporal.address, namespace, taskQueue, db: database.db, publicBaseUrl };
  // The demo is this machine's: a receiver on localhost is what a developer tries webhooks with.
  const allowPrivateWebhookTargets = config.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? true;
  const webhooks = { allowPrivateWebhookTargets, eventRetentionDays: config.EVENT_RETENTION_DAYS };
  await startWorker({ ...worker, ...webhooks, twilio, secretsKey, onboardingDesk, paymentGateway, logger }, onStop);
  const api = await startApiServer(
    {
      port: config.PORT,
      // The demo signs webhooks with a token anyone can read in this repository: not for the network.
      host: config.HOST ?? '127.0.0.1',
      databaseUrl,
      temporalAddress: temporal.address,
      namespace,
      taskQueue,
      publicBaseUrl,
      twilio: tenantAccounts(secretsKey, twilio.apiBaseUrl),
      secretsKey,
      bootstrapToken,
      providerSecret,
      metricsToken: config.METRICS_TOKEN,
      paymentGateway: paymentGateway.name,
      trustProxy: config.TRUST_PROXY,
      webhooks: webhookSettings(config, allowPrivateWebhookTargets),
      visitorRateLimits: { requestsPerAddress: config.VISITOR_ADDRESS_REQUESTS_PER_MINUTE },
      logger,
    },
    onStop,
  );

  const from = (variable: string, value: string | undefined, generated: string) =>
    value ? `(from ${variable})` : generated;
  const lines = [
    '',
    'Switchboard is running',
    `  API               ${api.url}`,
    temporal.uiUrl ? `  Temporal Web UI   ${temporal.uiUrl}` : `  Temporal          ${temporal.address}`,
    demoTwilio ? `  Twilio emulator   ${demoTwilio.emulatorUrl}` : '  Twilio            live account',
    `  Bootstrap token   ${from('SWITCHBOARD_BOOTSTRAP_TOKEN', config.SWITCHBOARD_BOOTSTRAP_TOKEN, bootstrapToken)}`,
    `  Provider secret   ${from('SWITCHBOARD_PROVIDER_SECRET', config.SWITCHBOARD_PROVIDER_SECRET, providerSecret)}`,
  ];
  if (demo) {
    lines.push(
      '',
      `Demo organisation${demo.created ? ' (created now)' : ''}; its keys are also in ${dataDir}/demo-keys.json`,
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
