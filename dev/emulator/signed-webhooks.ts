import twilio from 'twilio';

/**
 * Twilio's webhook connection settings, as a URL's fragment may override them (#ct=…&rt=…&tt=…&rc=…&rp=…).
 * Without overrides Twilio retries once, and only a connection it could not open.
 */
interface ConnectionSettings {
  connectTimeoutMs: number;
  readTimeoutMs: number;
  totalMs: number;
  retries: number;
  /** 4xx, 5xx, ct (connection failed), rt (no answer in time); `all` is every one. */
  retryOn: Set<string>;
}

const bounded = (value: string | null, min: number, max: number, fallback: number) => {
  const n = value === null ? NaN : Number(value);
  return Number.isInteger(n) ? Math.min(max, Math.max(min, n)) : fallback;
};

export function connectionSettings(url: string): ConnectionSettings {
  const overrides = new URLSearchParams(new URL(url).hash.slice(1));
  const policy = (overrides.get('rp') ?? 'ct').split(',');
  return {
    connectTimeoutMs: bounded(overrides.get('ct'), 100, 10_000, 5_000),
    readTimeoutMs: bounded(overrides.get('rt'), 100, 15_000, 15_000),
    totalMs: bounded(overrides.get('tt'), 100, 15_000, 15_000),
    retries: bounded(overrides.get('rc'), 0, 5, 1),
    retryOn: new Set(policy.includes('all') ? ['4xx', '5xx', 'ct', 'rt'] : policy),
  };
}

type Attempt = { status: number; body: string } | { failure: 'ct' | 'rt'; message: string };

async function attempt(url: string, headers: Record<string, string>, body: string, ms: number): Promise<Attempt> {
  try {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(ms) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    return { failure: timedOut ? 'rt' : 'ct', message: err instanceof Error ? err.message : String(err) };
  }
}

const retryable = (a: Attempt, on: Set<string>) =>
  'failure' in a
    ? on.has(a.failure)
    : (a.status >= 500 && on.has('5xx')) || (a.status >= 400 && a.status < 500 && on.has('4xx'));

/**
 * Posts a form the way Twilio does: url-encoded, signed with the account's auth token over the URL it
 * requests (the fragment never leaves the client), and delivered again as the URL's connection overrides
 * say, within their total time. `attempts` counts the deliveries; a last failure to connect is status 0.
 */
export async function postSigned(
  url: string,
  authToken: string,
  params: Record<string, string>,
): Promise<{ status: number; body: string; attempts: number }> {
  const settings = connectionSettings(url);
  const target = url.split('#')[0]!;
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, target, params),
    'user-agent': 'TwilioProxy/1.1',
  };
  const body = new URLSearchParams(params).toString();
  const deadline = Date.now() + settings.totalMs;
  for (let attempts = 1; ; attempts++) {
    const budget = Math.min(settings.connectTimeoutMs + settings.readTimeoutMs, deadline - Date.now());
    const result = await attempt(target, headers, body, Math.max(budget, 1));
    const last = attempts > settings.retries || Date.now() >= deadline || !retryable(result, settings.retryOn);
    if (last) return 'failure' in result ? { status: 0, body: result.message, attempts } : { ...result, attempts };
  }
}
