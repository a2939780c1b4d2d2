import type { Client } from '@temporalio/client';
import type { PaymentGateway } from '../src/billing';
import type { Db } from '../src/db/client';
import type { TwilioClient } from '../src/twilio/client';
import { createConversationActivities } from './db/conversations';
import { createMessageActivities } from './db/messages';
import { createNumberActivities } from './db/numbers';
import { createOnboardingActivities } from './db/onboarding';
import { createWalletActivities } from './db/wallet';
import { createOnboardingDeskActivities, type OnboardingDeskConfig } from './onboarding-desk';
import { createPaymentActivities } from './payments';
import { createQueueActivities } from './temporal';
import { createTwilioActivities } from './twilio';
import { createTwilioNumberActivities } from './twilio-numbers';

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
