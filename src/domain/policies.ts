/**
 * Durations and limits, in one place: the workflows take policies as inputs (so tests pass seconds),
 * the API starts them with the production defaults below, and admins change the settings within limits.
 */
const DAY = 24 * 60 * 60;

export interface OnboardingPolicy {
  /** How long the other product has to approve a link to an existing account (F6). */
  linkApprovalSeconds: number;
  /** How long the provider has to decide an access request (F7/F8) before it expires. */
  accessApprovalSeconds: number;
  /** The provider desk is reminded this often while a request waits. */
  reminderSeconds: number;
}

export interface NumberPolicy {
  /** One paid subscription period (a month in production). */
  periodSeconds: number;
  /** After a failed renewal the number stays live this long while the charge is retried. */
  graceSeconds: number;
  graceRetrySeconds: number;
  /** The sender's registration is polled from this interval, doubling up to the maximum. */
  senderPollSeconds: number;
  senderPollMaxSeconds: number;
  /** A sender not ONLINE by then fails the purchase. */
  senderTimeoutSeconds: number;
}

export interface WalletPolicy {
  /** Declined refills are retried this many times, backing off from `refillBackoffSeconds`, then auto-refill pauses. */
  refillAttempts: number;
  refillBackoffSeconds: number;
}

export const DEFAULT_ONBOARDING_POLICY: OnboardingPolicy = {
  linkApprovalSeconds: 7 * DAY,
  accessApprovalSeconds: 14 * DAY,
  reminderSeconds: 2 * DAY,
};

export const DEFAULT_NUMBER_POLICY: NumberPolicy = {
  periodSeconds: 30 * DAY,
  graceSeconds: 7 * DAY,
  graceRetrySeconds: DAY,
  senderPollSeconds: 5,
  senderPollMaxSeconds: 10 * 60,
  senderTimeoutSeconds: 14 * DAY,
};

export const DEFAULT_WALLET_POLICY: WalletPolicy = { refillAttempts: 4, refillBackoffSeconds: 60 };

/** A waiting chat looks for an operator again this often even if no hand-off woke it. */
export const DEFAULT_ASSIGNMENT_RETRY_SECONDS = 300;

/** The most points bought, or set as a refill threshold or amount, at once. */
export const MAX_POINTS = 100_000;

/** The channel settings (F11/F12) until an admin saves their own. */
export const DEFAULT_CHAT_CLOSE_LIMIT_SECONDS = DAY;
export const DEFAULT_IDLE_CLOSE_SECONDS = DAY;
export const DEFAULT_UNAVAILABLE_REPLY =
  "Sorry, we can't take messages on this number right now. Please try again later.";

/** What an admin may set the close limits to, for the organisation or one number. */
export const CLOSE_LIMITS = {
  chatCloseLimitSeconds: { min: 1, max: 7 * DAY },
  idleCloseSeconds: { min: 1, max: 30 * DAY },
};

/**
 * How often a website or app visitor may call in a minute (F2): the routes are public, and each long-poll
 * can hold a database connection's worth of queries, so one token or one address must not take the pool.
 */
export interface VisitorRateLimits {
  /** Messages one session may post: a person typing, with room for retries. */
  postsPerSession: number;
  /** Polls of one session: a widget long-polls a few times a minute, once more per reply it receives. */
  pollsPerSession: number;
  /** Visitor requests, any session or token (bad ones too), from one client address. */
  requestsPerAddress: number;
}

export const DEFAULT_VISITOR_RATE_LIMITS: VisitorRateLimits = {
  postsPerSession: 20,
  pollsPerSession: 30,
  requestsPerAddress: 300,
};

/** Every list answers a page at a time: this many rows unless `limit` says, and never more than the maximum. */
export const PAGE_LIMIT = { default: 50, max: 200 };

/** Outbound webhooks: how a failing endpoint is retried, and when it is given up on. */
export interface WebhookPolicy {
  /** Waits between attempts at the event an endpoint failed; the last repeats. */
  retrySeconds: number[];
  /** An endpoint failing this long without one success is disabled until an admin enables it again. */
  disableAfterSeconds: number;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = {
  retrySeconds: [5, 30, 120, 600, 1800, 3600],
  disableAfterSeconds: 3 * DAY,
};
