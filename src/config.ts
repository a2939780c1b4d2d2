import { isIP } from 'node:net';
import { z } from 'zod';

const url = z.url({ protocol: /^https?$/ });

/** 32 random bytes in base64 (`openssl rand -base64 32`): the key that seals tenants' Twilio credentials. */
const secretsKey = z
  .string()
  .transform((v) => Buffer.from(v, 'base64'))
  .refine((key) => key.length === 32, 'expected 32 bytes in base64: openssl rand -base64 32');

/** The ranges Express's `trust proxy` knows by name. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.includes(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

/**
 * Which proxies' X-Forwarded-For names the client: a hop count, or their addresses. Never "true": trusting
 * every hop lets a client name any address it likes, and so escape the per-address rate limit.
 */
const trustProxy = z.string().transform((value, ctx) => {
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true') {
    ctx.addIssue({
      code: 'custom',
      message: 'true lets any client name its own address; give a hop count or addresses',
    });
    return z.NEVER;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !isProxyAddress(entry));
  if (bad.length === 0) return entries;
  const expected = `a hop count, or the proxies' addresses or CIDRs, comma-separated (or ${PROXY_RANGE_NAMES.join(', ')})`;
  ctx.addIssue({ code: 'custom', message: `expected ${expected}; not ${bad.join(', ')}` });
  return z.NEVER;
});

/** Every variable the processes read, validated once at start with a message per bad value. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The API's listening address. Unset: every interface for `npm run api`, loopback only for the demo. */
  HOST: z.string().min(1).optional(),
  /** The worker's /readyz and /healthz (it has no other HTTP); 0 picks a free port. */
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /**
   * Where the worker serves the Temporal SDK's own metrics (its Core's Prometheus exporter, /metrics on
   * every interface); unset, they are not exported. A port of its own: the SDK runs that server itself.
   */
  TEMPORAL_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** The bearer token Prometheus sends for /metrics; unset, the api's /metrics is off (the worker's stays open). */
  METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  /** A prebuilt workflow bundle for the worker; unset, the one `npm run build` put in dist/ (if any). */
  WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d+$/, 'expected host:port')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('switchboard'),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'expected AC followed by 32 hex digits')
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16, 'too short to be a Twilio auth token').optional(),
  TWILIO_API_BASE_URL: url.optional(),
  PUBLIC_BASE_URL: url.optional(),
  SWITCHBOARD_BOOTSTRAP_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  SWITCHBOARD_PROVIDER_SECRET: z.string().min(16, 'use at least 16 characters').optional(),
  ONBOARDING_DESK_URL: url.optional(),
  /** The provider desk's own credential: the Twilio account's token is never sent to a configured URL. */
  ONBOARDING_DESK_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  SWITCHBOARD_SECRETS_KEY: secretsKey.optional(),
  SWITCHBOARD_DATA_DIR: z.string().min(1).default('./.data'),
  /** No default: the sandbox accepts any card token and charges nothing, so a deployment names its choice. */
  PAYMENT_GATEWAY: z.enum(['sandbox', 'stripe']).optional(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_\w+$/, 'expected sk_test_… / sk_live_… (or a restricted rk_ key)')
    .optional(),
  STRIPE_API_BASE_URL: url.optional(),
  TRUST_PROXY: trustProxy.optional(),
  /** Unset: the default in src/domain/policies.ts. Raise it where many visitors share an address (NAT). */
  VISITOR_ADDRESS_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).optional(),
  /** Days events are kept for desks to resume and endpoints to catch up. */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Development only: outbound webhooks may target private, loopback and link-local addresses. Unset: no (npm start: yes). */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false'], { message: 'expected true or false' })
    .transform((v) => v === 'true')
    .optional(),
  /** An endpoint failing this many hours without a success is disabled. */
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().min(1).max(720).default(72),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

/** Parses the environment with a schema; blank values count as unset, each bad value gets its line. */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const blankAsUnset = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(blankAsUnset);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => parseEnv(schema, env);

type Required<K extends keyof Config> = Config & { [P in K]-?: NonNullable<Config[P]> };

/** For `npm run api` / `npm run worker`, which start nothing themselves. */
export function requireSettings<K extends keyof Config>(config: Config, keys: K[]): Required<K> {
  const missing = keys.filter((k) => config[k] === undefined);
  if (missing.length > 0) {
    throw new ConfigError(`Missing configuration: ${missing.join(', ')} (see the configuration table in README.md)`);
  }
  return config as Required<K>;
}

const SERVICES = [
  'DATABASE_URL',
  'TEMPORAL_ADDRESS',
  'PUBLIC_BASE_URL',
  'PAYMENT_GATEWAY',
  'SWITCHBOARD_SECRETS_KEY',
] as const;

/**
 * `npm run api` starts nothing itself: these services must be configured. It acts for tenants only through
 * their own subaccounts, so it never holds the main Twilio account's token.
 */
export const loadApiConfig = (env: NodeJS.ProcessEnv = process.env) => requireSettings(loadConfig(env), [...SERVICES]);

/** The provider's desk, when configured: its URL and its own token come together. */
export function onboardingDeskOf(config: Pick<Config, 'ONBOARDING_DESK_URL' | 'ONBOARDING_DESK_TOKEN'>) {
  const { ONBOARDING_DESK_URL: url, ONBOARDING_DESK_TOKEN: token } = config;
  if (!url) return undefined;
  if (!token)
    throw new ConfigError('Missing configuration: ONBOARDING_DESK_TOKEN (the desk at ONBOARDING_DESK_URL needs it)');
  return { url, token };
}

/** `npm run worker` also creates subaccounts, with the main Twilio account. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = requireSettings(loadConfig(env), [...SERVICES, 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN']);
  return { ...config, onboardingDesk: onboardingDeskOf(config) };
}

/** What the API needs of outbound webhooks: whether private targets are allowed, and when to give up. */
export const webhookSettings = (
  config: Config,
  allowPrivateTargets = config.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? false,
) => ({
  allowPrivateTargets,
  policy: { disableAfterSeconds: config.WEBHOOK_DISABLE_AFTER_HOURS * 3600 },
});

/** Said at every start of a process that takes payments through the sandbox, so nobody runs it unawares. */
export function warnIfPaymentSandbox(
  config: Pick<Config, 'PAYMENT_GATEWAY'>,
  logger: { warn: (fields: object, message: string) => void },
): void {
  if (config.PAYMENT_GATEWAY !== 'sandbox') return;
  const why = 'any card token is accepted and nothing is charged (points and numbers are free); demos and tests only';
  logger.warn({ paymentGateway: 'sandbox' }, `PAYMENT_GATEWAY=sandbox: ${why}`);
}
