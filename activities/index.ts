import type { PaymentGateway } from '../src/billing';
import type { Db } from '../src/db/client';
import type { TwilioClient } from '../src/twilio/client';
import { createConversationActivities } from './db/conversations';
import { createMessageActivities } from './db/messages';
import { createWalletActivities } from './db/wallet';
import { createPaymentActivities } from './payments';
import { createTwilioActivities } from './twilio';

export interface ActivityDeps {
  db: Db;
  twilio: TwilioClient;
  publicBaseUrl: string;
  paymentGateway: PaymentGateway;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createConversationActivities(deps),
    ...createMessageActivities(deps),
    ...createTwilioActivities(deps),
    ...createWalletActivities(deps),
    ...createPaymentActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
