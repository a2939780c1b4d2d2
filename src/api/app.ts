import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type postgres from 'postgres';
import type { Db } from '../db/database';
import type { Logger } from '../logger';
import { authenticate } from './auth';
import { ApiError, errorHandler } from './api-errors';
import { billingRouter } from './routes/billing-routes';
import { businessAccountsRouter } from './routes/business-account-routes';
import { channelRouter } from './routes/channel-routes';
import { conversationsRouter } from './routes/conversation-routes';
import { directoryRouter } from './routes/directory-routes';
import { healthRouter } from './routes/health-routes';
import { numberPurchasesRouter } from './routes/number-purchase-routes';
import { numbersRouter } from './routes/number-routes';
import { onboardingRouter } from './routes/onboarding-routes';
import { orgsRouter } from './routes/org-routes';
import { providerRouter } from './routes/provider-routes';
import { settingsRouter } from './routes/settings-routes';
import { templatesRouter } from './routes/template-routes';
import { twilioWebhooksRouter } from './routes/twilio-webhook-routes';
import { visitorAdminRouter, visitorRouter } from './routes/visitor-routes';
import { walletRouter } from './routes/wallet-routes';
import type { WalletPolicy } from '../workflow-client/wallet-client';
import { DEFAULT_NUMBER_POLICY, DEFAULT_ONBOARDING_POLICY } from '../domain/policies';
import type { NumberPolicy } from '../../workflows/number-workflow';
import type { OnboardingPolicy } from '../../workflows/onboarding-workflow';

export interface AppDeps {
  db: Db;
  sql: postgres.Sql;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  publicBaseUrl: string;
  twilioAccountSid: string;
  twilioAuthToken: string;
  /** Where Twilio's REST API (and so customers' media) is, when not api.twilio.com. */
  twilioApiBaseUrl?: string;
  bootstrapToken?: string;
  /** The name of the gateway that tokens stored now belong to. */
  paymentGateway?: string;
  walletPolicy?: WalletPolicy;
  /** Authenticates the provider's onboarding team deciding access requests. */
  providerSecret?: string;
  onboardingPolicy?: OnboardingPolicy;
  numberPolicy?: NumberPolicy;
}

const DEFAULT_WALLET_POLICY: WalletPolicy = { refillAttempts: 4, refillBackoffSeconds: 60 };

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use(healthRouter(deps.sql, deps.temporal));
  app.use('/webhooks/twilio', twilioWebhooksRouter(deps));

  const api = express.Router();
  api.use(express.json({ limit: '64kb' }));
  api.use('/orgs', orgsRouter(deps.db, deps.bootstrapToken));
  api.use('/visitor-sessions', visitorRouter(deps.db, deps.temporal, deps.taskQueue));
  api.use('/provider', providerRouter(deps.db, deps.temporal, deps.providerSecret));
  api.use(authenticate(deps.db));
  api.use('/visitor-sessions', visitorAdminRouter(deps.db));
  api.use('/whatsapp/channel', channelRouter(deps.db));
  api.use('/whatsapp/channel', onboardingRouter(deps.db, deps.temporal, deps.taskQueue, deps.onboardingPolicy ?? DEFAULT_ONBOARDING_POLICY));
  api.use('/whatsapp/numbers', numberPurchasesRouter(deps.db, deps.temporal, deps.taskQueue, deps.numberPolicy ?? DEFAULT_NUMBER_POLICY));
  api.use('/whatsapp/numbers', numbersRouter(deps.db, deps.temporal));
  api.use('/business-accounts', businessAccountsRouter(deps.db, deps.temporal));
  api.use('/whatsapp/settings', settingsRouter(deps.db));
  api.use('/whatsapp/templates', templatesRouter(deps.temporal, deps.taskQueue));
  api.use('/billing', billingRouter(deps.db, deps.paymentGateway ?? 'sandbox'));
  api.use('/wallet', walletRouter(deps.db, deps.temporal, deps.taskQueue, deps.walletPolicy ?? DEFAULT_WALLET_POLICY));
  api.use('/conversations', conversationsRouter(deps.db, deps.temporal, { accountSid: deps.twilioAccountSid, authToken: deps.twilioAuthToken, apiBaseUrl: deps.twilioApiBaseUrl }));
  api.use(directoryRouter(deps.db, deps.temporal));
  app.use('/v1', api);

  app.use((req, _res, next) => next(new ApiError(404, 'route_not_found', `No route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));
  return app;
}
