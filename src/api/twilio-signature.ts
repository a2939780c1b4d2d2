import type { RequestHandler } from 'express';
import twilio from 'twilio';
import { CONNECTION_OVERRIDES, publicUrl } from '../providers/twilio/twilio-webhook-urls';
import { ApiError } from './api-errors';

/**
 * Checks X-Twilio-Signature against the URL Twilio called: PUBLIC_BASE_URL + path, because behind
 * a proxy the Host we see (and the path prefix it strips) is not what Twilio signed.
 */
export function verifyTwilioSignature(authToken: string, publicBaseUrl: string): RequestHandler {
  return (req, _res, next) => {
    const signature = req.header('x-twilio-signature');
    if (!signature) throw new ApiError(403, 'missing_signature', 'X-Twilio-Signature header is required');
    const url = publicUrl(publicBaseUrl, req.originalUrl);
    const params = (req.body ?? {}) as Record<string, string>;
    // Twilio may sign the URL as configured, fragment included; the fragment never reaches us.
    const signed = [url, `${url}#${CONNECTION_OVERRIDES}`];
    if (!signed.some((candidate) => twilio.validateRequest(authToken, signature, candidate, params))) {
      throw new ApiError(403, 'invalid_signature', `X-Twilio-Signature does not match a request to ${url}`);
    }
    next();
  };
}
