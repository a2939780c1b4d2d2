import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type postgres from 'postgres';
import type { Db } from '../db/database';
import {
  DEFAULT_NUMBER_POLICY,
  DEFAULT_ONBOARDING_POLICY,
  DEFAULT_WALLET_POLICY,
  type NumberPolicy,
  type OnboardingPolicy,
  type VisitorRateLimits,
  type WalletPolicy,
} from '../domain/policies';
import type { Logger } from '../logger';
import type { TenantAccounts } from '../providers/twilio/sealed-credentials';
import { ApiError } from './api-errors';
import { authenticate } from './auth';
import { errorHandler } from './error-responses';
import { httpMetrics } from './http-metrics';
import { requestIds } from './request-ids';
import { apiKeysRouter } from './routes/api-key-routes';
import { billingRouter } from './routes/billing-routes';
import { businessAccountsRouter, productRouter } from './routes/business-account-routes';
import { channelRouter } from './routes/channel-routes';
import { conversationsRouter } from './routes/conversation-routes';
import { directoryRouter } from './routes/directory-routes';
import { docsRouter } from './routes/docs-routes';
import { eventsRouter, type EventStreamOptions } from './routes/event-routes';
import { webhookEndpointsRouter, type WebhookSettings } from './routes/webhook-endpoint-routes';
import { eventWaker } from '../db/event-waker';
import { healthRouter } from './routes/health-routes';
import { metricsRouter } from './routes/metrics-routes';
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
import { visitorLimiters } from './visitor-rate-limits';

export interface AppDeps {
  db: Db;
  sql: postgres.Sql;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  publicBaseUrl: string;
  /**
   * Opens each organisation's own Twilio subaccount: its webhooks are validated with that account's token, and
   * reads for it (numbers for sale, templates, senders, media) are made there. The main account is the worker's.
   */
  twilio: TenantAccounts;
  /** SWITCHBOARD_SECRETS_KEY: seals the webhook endpoints' signing secrets. */
  secretsKey: Buffer;
  /** Outbound webhooks: private targets allowed (development), and the retry policy's overrides. */
  webhooks?: WebhookSettings;
  bootstrapToken?: string;
  /** The name of the gateway that tokens stored now belong to. */
  paymentGateway?: string;
  /** Authenticates the provider's onboarding team deciding access requests. */
  providerSecret?: string;
  /** METRICS_TOKEN: the bearer token a Prometheus scraper sends for `GET /metrics`; unset, the route is off. */
  metricsToken?: string;
  /** Durations the workflows are started with; the production defaults unless a test passes seconds. */
  walletPolicy?: WalletPolicy;
  onboardingPolicy?: OnboardingPolicy;
  numberPolicy?: NumberPolicy;
  /** Event streams' heartbeat (tests shorten it) and the signal that ends them all as the process stops. */
  eventStreams?: EventStreamOptions;
  /** Per visitor session and per client address, a minute; the defaults for any not given. */
  visitorRateLimits?: Partial<VisitorRateLimits>;
  /**
   * Express's `trust proxy` (TRUST_PROXY): a hop count, or the proxies' addresses, whose X-Forwarded-For
   * names the client. Unset, nothing is trusted: the client is whoever connected.
   */
  trustProxy?: number | string[];
}

export function createApp(deps: AppDeps): Express {
  const { db, temporal, taskQueue } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);

  app.use(requestIds());
  app.use(httpMetrics());
  app.use(healthRouter(deps.sql, temporal, deps.logger));
  app.use(metricsRouter(db, deps.logger, deps.metricsToken));
  app.use('/webhooks/twilio', twilioWebhooksRouter(deps));

  const api = express.Router();
  api.use(express.json({ limit: '64kb' }));
  // Public: this API's OpenAPI document and its browsable page.
  api.use(docsRouter(deps.publicBaseUrl));
  // Routes with their own credentials: the bootstrap token, a visitor's token, the provider's secret, a
  // product's integration key.
  api.use('/orgs', orgsRouter(db, deps.bootstrapToken));
  api.use('/business-accounts', productRouter(db, temporal));
  const visitorLimits = visitorLimiters(deps.visitorRateLimits ?? {}, deps.logger);
  api.use('/visitor-sessions', visitorRouter(db, temporal, taskQueue, visitorLimits));
  api.use('/provider', providerRouter(db, temporal, deps.providerSecret));
  // Everything else needs an organisation's API key.
  api.use(authenticate(db));
  api.use('/visitor-sessions', visitorAdminRouter(db));
  api.use('/whatsapp/channel', channelRouter(db, temporal, taskQueue));
  api.use(
    '/whatsapp/channel',
    onboardingRouter(db, temporal, taskQueue, deps.onboardingPolicy ?? DEFAULT_ONBOARDING_POLICY),
  );
  api.use(
    '/whatsapp/numbers',
    numberPurchasesRouter(db, temporal, deps.twilio, taskQueue, deps.numberPolicy ?? DEFAULT_NUMBER_POLICY),
  );
  api.use('/whatsapp/numbers', numbersRouter(db, temporal, deps.twilio));
  api.use('/business-accounts', businessAccountsRouter(db));
  api.use('/api-keys', apiKeysRouter(db));
  api.use('/whatsapp/settings', settingsRouter(db));
  api.use('/whatsapp/templates', templatesRouter(db, deps.twilio));
  api.use('/billing', billingRouter(db, deps.paymentGateway ?? 'sandbox'));
  api.use('/wallet', walletRouter(db, temporal, taskQueue, deps.walletPolicy ?? DEFAULT_WALLET_POLICY));
  api.use('/conversations', conversationsRouter(db, temporal, deps.taskQueue, deps.twilio));
  const waker = eventWaker(deps.sql, (err) => deps.logger.warn({ err }, 'event notifications unavailable'));
  api.use('/events', eventsRouter(db, waker, deps.logger, deps.eventStreams));
  const webhooks = { secretsKey: deps.secretsKey, settings: deps.webhooks ?? { allowPrivateTargets: false } };
  api.use('/webhook-endpoints', webhookEndpointsRouter(db, temporal, taskQueue, webhooks));
  api.use(directoryRouter(db, temporal));
  app.use('/v1', api);

  app.use((req, _res, next) => next(new ApiError(404, 'route_not_found', `No route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));
  return app;
}
