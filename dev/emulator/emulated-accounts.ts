import express, { Router } from 'express';
import { randomBytes } from 'node:crypto';
import { accountAuth } from './emulator-auth';
import type { EmulatedAccount, EmulatorState } from './emulator-state';
import { seedTemplates } from './emulated-content';
import { newSid, onePage, rfc2822, twilioError } from './twilio-wire';

/** Adds an account as it was (the main one, or a subaccount restored after a restart), with its templates. */
export function addAccount(
  state: EmulatorState,
  account: Pick<EmulatedAccount, 'sid' | 'authToken' | 'friendlyName' | 'ownerAccountSid'>,
): EmulatedAccount {
  const existing = state.accounts.get(account.sid);
  if (existing) return existing;
  const added: EmulatedAccount = { ...account, status: 'active', dateCreated: new Date() };
  state.accounts.set(added.sid, added);
  seedTemplates(state, added.sid);
  return added;
}

function accountJson(a: EmulatedAccount) {
  const uri = `/2010-04-01/Accounts/${a.sid}`;
  return {
    sid: a.sid,
    auth_token: a.authToken,
    friendly_name: a.friendlyName,
    // Twilio names a main account its own owner.
    owner_account_sid: a.ownerAccountSid ?? a.sid,
    status: a.status,
    type: 'Full',
    date_created: rfc2822(a.dateCreated),
    date_updated: rfc2822(a.dateCreated),
    uri: `${uri}.json`,
    subresource_uris: { incoming_phone_numbers: `${uri}/IncomingPhoneNumbers.json`, messages: `${uri}/Messages.json` },
  };
}

/** Accounts API (2010-04-01/Accounts): a main account creates, lists and fetches its subaccounts. */
export function accountsRouter(state: EmulatorState): Router {
  const r = Router();
  r.use(express.urlencoded({ extended: false }));
  const auth = accountAuth(state);
  const caller = (res: express.Response) => state.accounts.get(res.locals.accountSid as string)!;
  const visibleTo = (me: EmulatedAccount, a: EmulatedAccount) => a.sid === me.sid || a.ownerAccountSid === me.sid;

  r.get('/2010-04-01/Accounts.json', auth, (req, res) => {
    const me = caller(res);
    const name = typeof req.query.FriendlyName === 'string' ? req.query.FriendlyName : undefined;
    const status = typeof req.query.Status === 'string' ? req.query.Status : undefined;
    const rows = [...state.accounts.values()].filter(
      (a) => visibleTo(me, a) && (!name || a.friendlyName === name) && (!status || a.status === status),
    );
    res.json(onePage('accounts', rows.map(accountJson), req.originalUrl, 50));
  });

  r.post('/2010-04-01/Accounts.json', auth, (req, res) => {
    const me = caller(res);
    if (me.ownerAccountSid) return twilioError(res, 403, 20003, 'A subaccount cannot create accounts');
    const failure = state.accountFailures.shift();
    if (failure) return twilioError(res, failure.status, failure.code, failure.message);
    const name = (req.body as Record<string, unknown>).FriendlyName;
    const friendlyName = typeof name === 'string' && name ? name : 'Submaster Account';
    const account = addAccount(state, {
      sid: newSid('AC'),
      authToken: randomBytes(16).toString('hex'),
      friendlyName,
      ownerAccountSid: me.sid,
    });
    res.status(201).json(accountJson(account));
  });

  r.get('/2010-04-01/Accounts/:accountSid.json', auth, (_req, res) => {
    res.json(accountJson(caller(res)));
  });

  return r;
}
