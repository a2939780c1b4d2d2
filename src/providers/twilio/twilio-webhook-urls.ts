/**
 * Twilio delivers a webhook again only as its URL's fragment asks ("webhook connection overrides");
 * without one it retries once, and only a connection it could not open, so a 503 from us would be the
 * end of that message. We ask for two more tries on any failure (`rp=all`: connection, timeout, 4xx,
 * 5xx), each answered within 7 s, inside Twilio's 15 s total. Every retry carries the same MessageSid,
 * which we dedupe on. The fragment never reaches us, so signatures are checked with and without it.
 */
export const CONNECTION_OVERRIDES = 'ct=3000&rt=7000&rc=2&rp=all';

/**
 * Where Twilio reaches `path` of ours. PUBLIC_BASE_URL may carry a path (`https://host/sb`, behind a proxy
 * that strips it), so paths are appended to it: resolved against it, `/webhooks/…` lost the `/sb`.
 */
export const publicUrl = (publicBaseUrl: string, path: string): string => `${publicBaseUrl.replace(/\/+$/, '')}${path}`;

/** The URL we give Twilio for a webhook on `path`, with our connection overrides. */
export const twilioWebhookUrl = (publicBaseUrl: string, path: string): string =>
  `${publicUrl(publicBaseUrl, path)}#${CONNECTION_OVERRIDES}`;
