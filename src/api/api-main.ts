import { loadApiConfig, warnIfPaymentSandbox, webhookSettings } from '../config';
import { migrateDatabase } from '../db/database';
import { createLogger } from '../logger';
import { tenantAccounts } from '../providers/twilio/sealed-credentials';
import { runUntilSignal } from '../run-until-signal';
import { startApiServer } from './api-server';

// `npm run api`: the HTTP process alone, against configured services.
runUntilSignal(async (onStop) => {
  const config = loadApiConfig();
  const logger = createLogger(config.LOG_LEVEL, 'api');
  warnIfPaymentSandbox(config, logger);
  await migrateDatabase(config.DATABASE_URL);
  const api = await startApiServer(
    {
      port: config.PORT,
      host: config.HOST,
      databaseUrl: config.DATABASE_URL,
      temporalAddress: config.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      publicBaseUrl: config.PUBLIC_BASE_URL,
      twilio: tenantAccounts(config.SWITCHBOARD_SECRETS_KEY, config.TWILIO_API_BASE_URL),
      secretsKey: config.SWITCHBOARD_SECRETS_KEY,
      bootstrapToken: config.SWITCHBOARD_BOOTSTRAP_TOKEN,
      providerSecret: config.SWITCHBOARD_PROVIDER_SECRET,
      metricsToken: config.METRICS_TOKEN,
      paymentGateway: config.PAYMENT_GATEWAY,
      trustProxy: config.TRUST_PROXY,
      webhooks: webhookSettings(config),
      visitorRateLimits: { requestsPerAddress: config.VISITOR_ADDRESS_REQUESTS_PER_MINUTE },
      logger,
    },
    onStop,
  );
  logger.info({ url: api.url }, 'API listening');
});
