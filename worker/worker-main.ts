import { loadServiceConfig } from '../src/config';
import { openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';
import { createPaymentGateway } from '../src/providers/payments/create-payment-gateway';
import { runUntilSignal } from '../src/run-until-signal';
import { startWorker } from './start-worker';

// `npm run worker`: the Temporal worker alone, against configured services.
runUntilSignal(async (onStop) => {
  const config = loadServiceConfig();
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  const database = openDatabase(config.DATABASE_URL);
  onStop(database.close);
  await startWorker(
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
      publicBaseUrl: config.PUBLIC_BASE_URL,
      onboardingDeskUrl: config.ONBOARDING_DESK_URL,
      paymentGateway: createPaymentGateway(config),
    },
    onStop,
  );
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker polling');
});
