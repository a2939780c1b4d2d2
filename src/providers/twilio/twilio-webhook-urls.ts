/**
 * Twilio delivers a webhook again only as its URL's fragment asks ("webhook connection overrides");
 * without one it retries once, and only a connection it could not open, so a 503 from us would be the
 * end of that message. We ask for two more tries on any failure (`rp=all`: connection, timeout, 4xx,
 * 5xx), each answered within 7 s, inside Twilio's 15 s total. Every retry carries the same MessageSid,
 * which we dedupe on. The fragment never reaches us, so signatures are checked with and without it.
 */
export const CONNECTION_OVERRIDES = 'ct=3000&rt=7000&rc=2&rp=all';

/** The URL we give Twilio for a webhook on `path`, with our connection overrides. */
export const twilioWebhookUrl = (publicBaseUrl: string, path: string): string =>
  `${new URL(path, publicBaseUrl).toString()}#${CONNECTION_OVERRIDES}`;
