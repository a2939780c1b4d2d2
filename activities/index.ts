import type { Client } from '@temporalio/client';
import type { PaymentGateway } from '../src/providers/payments/create-payment-gateway';
import type { Db } from '../src/db/database';
import type { TwilioClient } from '../src/providers/twilio/twilio-client';
import { createConversationActivities } from './conversation-activities';
import { createMessageActivities } from './message-activities';
import { createNumberActivities } from './number-activities';
import { createOnboardingActivities } from './onboarding-activities';
import { createWalletActivities } from './wallet-activities';
import { createOnboardingDeskActivities, type OnboardingDeskConfig } from './onboarding-desk-activities';
import { createPaymentActivities } from './payment-activities';
import { createQueueActivities } from './queue-activities';
import { createTwilioActivities } from './twilio-message-activities';
import { createTwilioNumberActivities } from './twilio-number-activities';

export interface ActivityDeps {
  db: Db;
  twilio: TwilioClient;
  publicBaseUrl: string;
  paymentGateway: PaymentGateway;
  /** For waking other conversations' workflows (queue hand-offs). */
  temporal?: Client;
  /** Where Business Manager access requests go (F7); unset, such requests are refused. */
  onboardingDesk?: OnboardingDeskConfig;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createConversationActivities(deps),
    ...createMessageActivities(deps),
    ...createTwilioActivities(deps),
    ...createWalletActivities(deps),
    ...createPaymentActivities(deps),
    ...createQueueActivities(deps),
    ...createOnboardingActivities(deps),
    ...createOnboardingDeskActivities(deps),
    ...createNumberActivities(deps),
    ...createTwilioNumberActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
