import type { Client } from '@temporalio/client';
import type { ConversationActivities } from '../src/contracts/conversation-contract';
import type { NumberActivities } from '../src/contracts/number-contract';
import type { OnboardingActivities } from '../src/contracts/onboarding-contract';
import type { SubaccountActivities } from '../src/contracts/subaccount-contract';
import type { WebhookActivities } from '../src/contracts/webhook-contract';
import type { WalletActivities } from '../src/contracts/wallet-contract';
import type { Db } from '../src/db/database';
import { eventWaker } from '../src/db/event-waker';
import type { Logger } from '../src/logger';
import type { OnboardingDeskConfig } from '../src/providers/onboarding-desk/onboarding-desk-client';
import type { PaymentGateway } from '../src/providers/payments/payment-gateway';
import type { TenantAccounts } from '../src/providers/twilio/sealed-credentials';
import type { TwilioClient } from '../src/providers/twilio/twilio-client';
import { createConversationActivities } from './conversation-activities';
import { createMessageActivities } from './message-activities';
import { createNumberActivities } from './number-activities';
import { createOnboardingActivities } from './onboarding-activities';
import { createOnboardingDeskActivities } from './onboarding-desk-activities';
import { createPaymentActivities } from './payment-activities';
import { orgTwilio } from './org-twilio';
import { createQueueActivities } from './queue-activities';
import { createSubaccountActivities } from './subaccount-activities';
import { createWebhookActivities } from './webhook-activities';
import { createTwilioMessageActivities } from './twilio-message-activities';
import { createTwilioNumberActivities } from './twilio-number-activities';
import { createWalletActivities } from './wallet-activities';

export interface ActivityDeps {
  db: Db;
  /** The main Twilio account: it creates each organisation's subaccount, and does nothing else. */
  twilio: TwilioClient;
  /** Seals and opens the subaccounts, where everything else Twilio does for an organisation happens. */
  subaccounts: TenantAccounts;
  publicBaseUrl: string;
  paymentGateway: PaymentGateway;
  /** For waking other conversations' workflows (queue hand-offs). */
  temporal: Client;
  /** Where Business Manager access requests go (F7); unset, such requests are refused. */
  onboardingDesk?: OnboardingDeskConfig;
  /** SWITCHBOARD_SECRETS_KEY: opens the webhook endpoints' signing secrets. */
  secretsKey: Buffer;
  /** Development only (WEBHOOK_ALLOW_PRIVATE_TARGETS): outbound webhooks may reach private addresses. */
  allowPrivateWebhookTargets?: boolean;
  logger: Logger;
}

/** Every activity the workflows call, as their contracts declare them. */
export type Activities = ConversationActivities &
  WalletActivities &
  NumberActivities &
  OnboardingActivities &
  SubaccountActivities &
  WebhookActivities;

export function createActivities(deps: ActivityDeps): Activities {
  const tenants = { ...deps, orgTwilio: orgTwilio(deps.db, deps.subaccounts) };
  return {
    ...createConversationActivities(deps),
    ...createMessageActivities(deps),
    ...createTwilioMessageActivities(tenants),
    ...createQueueActivities(deps),
    ...createWalletActivities(deps),
    ...createPaymentActivities(deps),
    ...createOnboardingActivities(deps),
    ...createOnboardingDeskActivities(deps),
    ...createNumberActivities(deps),
    ...createTwilioNumberActivities(tenants),
    ...createSubaccountActivities(deps),
    ...createWebhookActivities({
      db: deps.db,
      secretsKey: deps.secretsKey,
      allowPrivateTargets: deps.allowPrivateWebhookTargets ?? false,
      events: eventWaker(deps.db.$client, (err) => deps.logger.warn({ err }, 'event notifications unavailable')),
    }),
  };
}
