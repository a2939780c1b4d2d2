import { Runtime } from '@temporalio/worker';
import { loadWorkerConfig, warnIfPaymentSandbox } from '../src/config';
import { migrateDatabase, openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';
import { createPaymentGateway } from '../src/providers/payments/create-payment-gateway';
import { runUntilSignal } from '../src/run-until-signal';
import { startWorkerHealthServer } from './health-server';
import { startWorker } from './start-worker';
import { temporalMetricsTelemetry } from './temporal-metrics';

// `npm run worker` (production: `node dist/worker/worker-main.js`): the Temporal worker alone, against
// configured services.
runUntilSignal(async (onStop) => {
  const config = loadWorkerConfig();
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  warnIfPaymentSandbox(config, logger);
  // Before any connection to Temporal: the runtime they share is made once, with its metrics exporter.
  Runtime.install({ telemetryOptions: temporalMetricsTelemetry(config.TEMPORAL_METRICS_PORT) });
  const database = openDatabase(config.DATABASE_URL);
  onStop(database.close);
  // Listening first: while it migrates and connects, probes get 503 "starting" rather than a refusal.
  const health = await startWorkerHealthServer(
    { port: config.WORKER_HEALTH_PORT, sql: database.sql, logger, metricsToken: config.METRICS_TOKEN },
    onStop,
  );
  logger.info({ url: health.url }, 'worker health (/readyz, /healthz, /metrics) listening');
  if (config.TEMPORAL_METRICS_PORT)
    logger.info({ port: config.TEMPORAL_METRICS_PORT }, "the Temporal SDK's metrics (/metrics) listening");
  // Migrating here, not waiting for the api to: on a fresh database the worker may start first, and its
  // activities write tables that must exist. Under the migration lock, whichever process comes first
  // applies each migration and the others find nothing left to do; waiting instead would need a timeout
  // and would hang for good if no api ever started.
  await migrateDatabase(config.DATABASE_URL);
  const worker = await startWorker(
    {
      temporalAddress: config.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      db: database.db,
      twilio: {
        accountSid: config.TWILIO_ACCOUNT_SID,
        authToken: config.TWILIO_AUTH_TOKEN,
        apiBaseUrl: config.TWILIO_API_BASE_URL,
      },
      secretsKey: config.SWITCHBOARD_SECRETS_KEY,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      onboardingDesk: config.onboardingDesk,
      allowPrivateWebhookTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? false,
      eventRetentionDays: config.EVENT_RETENTION_DAYS,
      paymentGateway: createPaymentGateway(config),
      workflowBundlePath: config.WORKFLOW_BUNDLE_PATH,
      logger,
    },
    onStop,
  );
  health.track(worker);
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker polling');
});
