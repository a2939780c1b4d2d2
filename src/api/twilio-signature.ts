import type { RequestHandler } from 'express';
import twilio from 'twilio';
import { CONNECTION_OVERRIDES, publicUrl } from '../providers/twilio/twilio-webhook-urls';
import { ApiError } from './api-errors';

/** The organisation a webhook's AccountSid belongs to, and that subaccount's auth token. */
export type WebhookAccountLookup = (accountSid: string) => Promise<{ orgId: string; authToken: string } | undefined>;

const ACCOUNT_SID = /^AC[0-9a-f]{32}$/i;

/** The organisation whose subaccount signed the webhook, set by verifyTwilioSignature. */
export const webhookOrgId = (locals: Record<string, unknown>) => locals.webhookOrgId as string;

/**
 * Twilio signs each webhook with the auth token of the account it concerns: here, an organisation's own
 * subaccount, named by the form's AccountSid. A webhook naming no subaccount of ours is refused before
 * anything is stored; one whose signature that account's token does not make is refused too.
 *
 * The signed URL is PUBLIC_BASE_URL + path, because behind a proxy the Host we see (and the path prefix
 * it strips) is not what Twilio signed.
 */
export function verifyTwilioSignature(lookup: WebhookAccountLookup, publicBaseUrl: string): RequestHandler {
  return async (req, res, next) => {
    const signature = req.header('x-twilio-signature');
    if (!signature) throw new ApiError(403, 'missing_signature', 'X-Twilio-Signature header is required');
    const params = (req.body ?? {}) as Record<string, string>;
    const accountSid =
      typeof params.AccountSid === 'string' && ACCOUNT_SID.test(params.AccountSid) ? params.AccountSid : '';
    const account = accountSid ? await lookup(accountSid) : undefined;
    if (!account) {
      const why = `AccountSid ${accountSid || '(missing)'} is not the Twilio subaccount of any organisation here`;
      throw new ApiError(403, 'unknown_account', why);
    }
    const url = publicUrl(publicBaseUrl, req.originalUrl);
    // Twilio may sign the URL as configured, fragment included; the fragment never reaches us.
    const signed = [url, `${url}#${CONNECTION_OVERRIDES}`];
    if (!signed.some((candidate) => twilio.validateRequest(account.authToken, signature, candidate, params))) {
      throw new ApiError(403, 'invalid_signature', `X-Twilio-Signature does not match a request to ${url}`);
    }
    res.locals.webhookOrgId = account.orgId;
    next();
  };
}
