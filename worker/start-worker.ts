import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Db } from '../src/db/database';
import type { Logger } from '../src/logger';
import type { OnboardingDeskConfig } from '../src/providers/onboarding-desk/onboarding-desk-client';
import type { PaymentGateway } from '../src/providers/payments/payment-gateway';
import { tenantAccounts } from '../src/providers/twilio/sealed-credentials';
import type { TwilioAccount } from '../src/providers/twilio/twilio-account';
import { createTwilioClient } from '../src/providers/twilio/twilio-client';
import type { OnStop } from '../src/run-until-signal';
import { startConversationRepair } from './conversation-repair';
import { createWorker, prebuiltWorkflowBundle } from './create-worker';
import { ensureSearchAttributes } from './search-attribute-setup';

export interface WorkerSettings {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  db: Db;
  /** The main Twilio account, which creates each organisation's subaccount. */
  twilio: TwilioAccount;
  /** SWITCHBOARD_SECRETS_KEY: seals and opens the subaccounts' auth tokens. */
  secretsKey: Buffer;
  publicBaseUrl: string;
  /** The provider desk and its own token; unset, access requests are rejected with that reason. */
  onboardingDesk?: OnboardingDeskConfig;
  paymentGateway: PaymentGateway;
  logger: Logger;
  /** WORKFLOW_BUNDLE_PATH; unset, dist/workflow-bundle.js when running the build, else bundled at start. */
  workflowBundlePath?: string;
}

/**
 * Connects to Temporal and polls the task queue until stopped; what `npm run worker` and `npm start` run.
 * Returns the running worker, whose state the worker process's /readyz reports.
 */
export async function startWorker(settings: WorkerSettings, onStop: OnStop): Promise<Worker> {
  const workflowBundle = prebuiltWorkflowBundle(settings.workflowBundlePath);
  const connection = await NativeConnection.connect({ address: settings.temporalAddress });
  onStop(() => connection.close());
  // Activities that hand a freed operator to the next waiting chat signal its workflow.
  const clientConnection = await Connection.connect({ address: settings.temporalAddress });
  onStop(() => clientConnection.close());
  // Before polling: a workflow that cannot set its search attributes would fail every start.
  await ensureSearchAttributes(clientConnection, settings.namespace);
  const { twilio } = settings;
  const temporal = new Client({ connection: clientConnection, namespace: settings.namespace });
  const worker = await createWorker({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    db: settings.db,
    twilio: createTwilioClient(twilio),
    subaccounts: tenantAccounts(settings.secretsKey, twilio.apiBaseUrl),
    publicBaseUrl: settings.publicBaseUrl,
    onboardingDesk: settings.onboardingDesk,
    paymentGateway: settings.paymentGateway,
    temporal,
    workflowBundle,
    logger: settings.logger,
  });
  const running = worker.run();
  onStop(async () => {
    // The SDK's runtime may already have begun shutting down on the same signal.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
  });
  const { db, taskQueue, logger } = settings;
  startConversationRepair({ db, temporal, taskQueue, logger }, onStop);
  return worker;
}
