import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createPaymentGateway } from '../src/providers/payments/create-payment-gateway';
import { loadConfig, requireSettings } from '../src/config';
import { openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';
import { runUntilSignal } from '../src/run-until-signal';
import { createTwilioClient } from '../src/providers/twilio/twilio-client';
import { createWorker } from './create-worker';

// `npm run worker`: the Temporal worker alone, against configured services.
runUntilSignal(async (onStop) => {
  const config = requireSettings(loadConfig(), [
    'DATABASE_URL', 'TEMPORAL_ADDRESS', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'PUBLIC_BASE_URL',
  ]);
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  const database = openDatabase(config.DATABASE_URL);
  onStop(database.close);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  onStop(() => connection.close());
  // Activities that hand a freed operator to the next waiting chat signal its workflow.
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  onStop(() => clientConnection.close());
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db: database.db,
    twilio: createTwilioClient({
      accountSid: config.TWILIO_ACCOUNT_SID,
      authToken: config.TWILIO_AUTH_TOKEN,
      apiBaseUrl: config.TWILIO_API_BASE_URL,
    }),
    publicBaseUrl: config.PUBLIC_BASE_URL,
    onboardingDesk: config.ONBOARDING_DESK_URL
      ? { url: config.ONBOARDING_DESK_URL, accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN }
      : undefined,
    paymentGateway: createPaymentGateway(config),
    temporal: new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE }),
  });
  const running = worker.run();
  onStop(async () => {
    // The SDK's runtime may already have begun shutting down on the same signal.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker polling');
});
