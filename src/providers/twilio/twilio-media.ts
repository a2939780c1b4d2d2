import type { TwilioAccount } from './twilio-account';

/** Why a customer's media could not be fetched. */
export class TwilioMediaError extends Error {
  override readonly name = 'TwilioMediaError';
  constructor(
    readonly reason: 'not_stored_with_twilio' | 'unreachable' | 'too_large',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Fetches a customer's media from Twilio with our credentials, so operators download it through
 * our API and never see either. Only Twilio's own media URLs are fetched: the URL came from a
 * webhook, and an allow-list keeps this from ever becoming a way to reach other hosts.
 */
export async function fetchTwilioMedia(
  url: string,
  access: TwilioAccount,
  maxBytes: number,
): Promise<{ contentType: string; body: ReadableStream<Uint8Array> }> {
  const allowedOrigin = new URL(access.apiBaseUrl ?? 'https://api.twilio.com').origin;
  if (new URL(url).origin !== allowedOrigin) {
    throw new TwilioMediaError('not_stored_with_twilio', 'The attachment is not stored with Twilio');
  }
  const auth = Buffer.from(`${access.accountSid}:${access.authToken}`).toString('base64');
  const res = await fetch(url, {
    headers: { authorization: `Basic ${auth}` },
    signal: AbortSignal.timeout(15_000),
  }).catch(() => {
    throw new TwilioMediaError('unreachable', 'Twilio could not be reached for the attachment; try again');
  });
  if (!res.ok || !res.body)
    throw new TwilioMediaError('unreachable', `Twilio answered ${res.status} for the attachment`);
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > maxBytes) {
    await res.body.cancel();
    throw new TwilioMediaError(
      'too_large',
      `The attachment is ${length} bytes; this channel allows at most ${maxBytes}`,
    );
  }
  return { contentType: res.headers.get('content-type') ?? 'application/octet-stream', body: res.body };
}
