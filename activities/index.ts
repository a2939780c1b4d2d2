import type { Client } from '@temporalio/client';
import type { PaymentGateway } from '../src/billing';
import type { Db } from '../src/db/client';
import type { TwilioClient } from '../src/twilio/client';
import { createConversationActivities } from './db/conversations';
import { createMessageActivities } from './db/messages';
import { createWalletActivities } from './db/wallet';
import { createPaymentActivities } from './payments';
import { createQueueActivities } from './temporal';
import { createTwilioActivities } from './twilio';

export interface ActivityDeps {
  db: Db;
  twilio: TwilioClient;
  publicBaseUrl: string;
  paymentGateway: PaymentGateway;
  /** For waking other conversations' workflows (queue hand-offs). */
  temporal?: Client;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createConversationActivities(deps),
    ...createMessageActivities(deps),
    ...createTwilioActivities(deps),
    ...createWalletActivities(deps),
    ...createPaymentActivities(deps),
    ...createQueueActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
