import type { RequestHandler, Response } from 'express';
import type { EmulatedAccount, EmulatorState } from './emulator-state';
import { twilioError } from './twilio-wire';

/** The account whose resources a request acts on: the path's account, else the caller's own. */
export const actingAccount = (res: Response): string => res.locals.accountSid as string;

function caller(state: EmulatorState, authorization: string | undefined): EmulatedAccount | undefined {
  const [scheme, encoded] = (authorization ?? '').split(' ');
  if (scheme !== 'Basic' || !encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString();
  const sid = decoded.slice(0, decoded.indexOf(':'));
  const account = state.accounts.get(sid);
  return account?.status === 'active' && decoded === `${sid}:${account.authToken}` ? account : undefined;
}

/**
 * Twilio's rule for credentials: an account's own SID and auth token reach its own resources; a main
 * account's also reach its subaccounts' (under `/Accounts/{subaccount}`); a subaccount's never reach
 * another account's. Anything else is 401 / 20003.
 */
export function accountAuth(state: EmulatorState): RequestHandler {
  return (req, res, next) => {
    const account = caller(state, req.header('authorization'));
    const pathSid = (req.params as Record<string, string | undefined>).accountSid;
    const reachable =
      account &&
      (pathSid === undefined ||
        pathSid === account.sid ||
        state.accounts.get(pathSid)?.ownerAccountSid === account.sid);
    if (!account || !reachable) return twilioError(res, 401, 20003, 'Authenticate');
    res.locals.accountSid = pathSid ?? account.sid;
    next();
  };
}

/** The provider's onboarding desk is not Twilio: it takes its own bearer token. */
export function bearerAuth(token: string): RequestHandler {
  return (req, res, next) => {
    if (req.header('authorization') !== `Bearer ${token}`) return twilioError(res, 401, 20003, 'Authenticate');
    next();
  };
}
