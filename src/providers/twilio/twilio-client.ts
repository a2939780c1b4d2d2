import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import type { TwilioAccount } from './twilio-account';

export type TwilioClient = ReturnType<typeof twilio>;

/**
 * Rewrites the scheme and host of each request the SDK makes, keeping path and query, so
 * the real SDK (its serialisation, auth and error handling) talks to an emulator unchanged.
 */
class RedirectingRequestClient extends RequestClient {
  constructor(private readonly baseUrl: string) {
    super({ timeout: 15_000 });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const original = new URL(opts.uri);
    const target = new URL(this.baseUrl);
    const basePath = target.pathname.replace(/\/$/, '');
    const uri = `${target.origin}${basePath}${original.pathname}${original.search}`;
    return super.request<TData>({ ...opts, uri });
  }
}

export function createTwilioClient(opts: TwilioAccount): TwilioClient {
  if (!opts.apiBaseUrl) return twilio(opts.accountSid, opts.authToken);
  return twilio(opts.accountSid, opts.authToken, {
    httpClient: new RedirectingRequestClient(opts.apiBaseUrl),
  });
}
