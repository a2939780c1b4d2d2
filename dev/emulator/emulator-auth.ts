import type { RequestHandler } from 'express';
import { twilioError } from './twilio-wire';

/** Twilio answers 401 / 20003 to wrong credentials and to another account's path. */
export function basicAuth(accountSid: string, authToken: string): RequestHandler {
  const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  return (req, res, next) => {
    const pathAccount = (req.params as Record<string, string | undefined>).accountSid;
    if (req.header('authorization') !== expected || (pathAccount !== undefined && pathAccount !== accountSid)) {
      twilioError(res, 401, 20003, 'Authenticate');
      return;
    }
    next();
  };
}
