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
 * A media URL exactly as Twilio gives it for a message to this account:
 * `/2010-04-01/Accounts/{AC…}/Messages/{MM…|SM…}/Media/{ME…}` on its API host. The URL comes from a webhook:
 * any other path on that host (`…/Messages.json`, another account's media) would be fetched with our
 * credentials and handed to whoever asked.
 */
export function isTwilioMediaUrl(url: string, access: TwilioAccount): boolean {
  const base = new URL(access.apiBaseUrl ?? 'https://api.twilio.com');
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || parsed.origin !== base.origin || parsed.search || parsed.hash) return false;
  const prefix = `${base.pathname.replace(/\/$/, '')}/2010-04-01/Accounts/${access.accountSid}/Messages/`;
  if (!parsed.pathname.startsWith(prefix)) return false;
  return /^(MM|SM)[0-9a-f]{32}\/Media\/ME[0-9a-f]{32}$/.test(parsed.pathname.slice(prefix.length));
}

/** Passes the bytes on until there are more than `maxBytes`, then fails the stream: no header is trusted. */
function capped(body: ReadableStream<Uint8Array>, maxBytes: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(new TwilioMediaError('too_large', `over ${maxBytes} bytes`));
        else controller.enqueue(chunk);
      },
    }),
  );
}

/**
 * Fetches a customer's media from Twilio with our credentials, so operators download it through
 * our API and never see either. Only Twilio's own media URLs are fetched (above).
 */
export async function fetchTwilioMedia(
  url: string,
  access: TwilioAccount,
  maxBytes: number,
): Promise<{ contentType: string; body: ReadableStream<Uint8Array> }> {
  if (!isTwilioMediaUrl(url, access)) {
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
  const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
  return { contentType, body: capped(res.body, maxBytes) };
}
