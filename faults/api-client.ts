import { requestTo } from '../dev/harness/test-stack';

/**
 * How the suite's users talk to Switchboard, and how it sees every answer they get.
 *
 * The Twilio emulator runs in this process, so its webhooks (inbound messages, status callbacks) go out
 * through this process's `fetch` exactly as the suite's own API calls do. Counting at `fetch` therefore
 * sees every delivery attempt, retries included — a 500 that a retry later covered up is still a 500.
 */
export type HttpKind = 'inbound webhook' | 'status callback' | 'api';

export class HttpObserver {
  /** `${kind} ${status}` → count; status 0 is "no answer" (connection refused, reset, timed out). */
  readonly answers = new Map<string, number>();
  /** Every 5xx other than 502/503: what must never happen, with enough to find it in the logs. */
  readonly serverErrors: { kind: HttpKind; status: number; method: string; path: string; at: string }[] = [];
  private original: typeof fetch | undefined;

  constructor(private readonly ports: () => Set<string>) {}

  private kindOf(url: URL): HttpKind | undefined {
    if (!this.ports().has(url.port)) return undefined;
    if (url.pathname.startsWith('/webhooks/twilio/messages')) return 'inbound webhook';
    if (url.pathname.startsWith('/webhooks/twilio/status')) return 'status callback';
    return url.pathname.startsWith('/v1/') ? 'api' : undefined;
  }

  count(kind: HttpKind, status: number): number {
    return this.answers.get(`${kind} ${status}`) ?? 0;
  }

  total(status: number): number {
    return (['inbound webhook', 'status callback', 'api'] as const).reduce((n, k) => n + this.count(k, status), 0);
  }

  install(): void {
    const original = (this.original = globalThis.fetch);
    globalThis.fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const kind = this.kindOf(url);
      const record = (status: number) => {
        if (!kind) return;
        this.answers.set(`${kind} ${status}`, this.count(kind, status) + 1);
        if (status >= 500 && status !== 502 && status !== 503) {
          const method = init?.method ?? 'GET';
          this.serverErrors.push({ kind, status, method, path: url.pathname, at: new Date().toISOString() });
        }
      };
      try {
        const res = await original(input, init);
        record(res.status);
        return res;
      } catch (err) {
        record(0);
        throw err;
      }
    };
  }

  uninstall(): void {
    if (this.original) globalThis.fetch = this.original;
  }
}

export interface Answer<T> {
  status: number;
  body: T;
  /** Tries after the first (503/429 after Retry-After; the load balancer's 502 or no answer after a second). */
  retries: number;
  /** The client stopped retrying at its deadline; `status` is the last answer (0: none). */
  gaveUp: boolean;
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** How long a user keeps retrying before giving up; 0 sends once. */
  retryForMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** One try never waits longer than this: a paused dependency must not hang a client for ever. */
const TRY_TIMEOUT_MS = 30_000;
/** The load balancer's own 502s (the api died mid-request or none accepts): nothing of ours answered. */
const LOAD_BALANCER_CODES = new Set(['upstream_failed', 'no_upstream']);

type ErrorBody = { error?: { code?: string } };

/**
 * One request as a well-behaved client makes it: on 503 or 429 it waits what Retry-After says and sends
 * the same request again (the same Idempotency-Key, so the same reply or purchase); when the load balancer
 * says the api it chose went away, or nothing answers, it tries again a second later.
 */
export async function call<T = unknown>(
  apiUrl: string,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<Answer<T>> {
  const deadline = Date.now() + (opts.retryForMs ?? 120_000);
  for (let retries = 0; ; retries++) {
    let status = 0;
    let body: unknown = undefined;
    let waitMs = 1000;
    try {
      const res = await requestTo<unknown>(apiUrl, method, path, { ...opts, timeoutMs: TRY_TIMEOUT_MS });
      ({ status, body } = res);
      waitMs = Number(res.headers.get('retry-after') ?? 1) * 1000;
    } catch {
      // No answer (refused, reset, timed out): the request may or may not have been taken; resend it.
    }
    const code = (body as ErrorBody | undefined)?.error?.code;
    const retryable =
      status === 0 || status === 503 || status === 429 || (status === 502 && LOAD_BALANCER_CODES.has(code ?? ''));
    if (!retryable) return { status, body: body as T, retries, gaveUp: false };
    if (Date.now() + waitMs > deadline) return { status, body: body as T, retries, gaveUp: true };
    await sleep(waitMs);
  }
}

/** `call`, failing loudly unless the answer is `expected`: for setting up the desks, before any fault. */
export async function must<T = unknown>(
  expected: number,
  apiUrl: string,
  method: string,
  path: string,
  opts: CallOptions = {},
): Promise<T> {
  const answer = await call<T>(apiUrl, method, path, opts);
  if (answer.status !== expected) {
    throw new Error(
      `${method} ${path} answered ${answer.status}, expected ${expected}: ${JSON.stringify(answer.body)}`,
    );
  }
  return answer.body;
}
