import type { TwilioClient } from './twilio-client';
import { callTwilio } from './twilio-errors';

/** Where Twilio finds an organisation's subaccount again: its name under the main account never changes. */
export const subaccountName = (orgId: string) => `Switchboard org ${orgId}`;

/**
 * The organisation's subaccount under the main account: one an earlier attempt made (its answer lost) is
 * found by name before a new one is made, since Twilio's Accounts API takes no idempotency key.
 * Throws TwilioRefusedError (e.g. 21480, the main account's subaccount limit) or TwilioUnavailableError.
 */
export async function findOrCreateSubaccount(
  main: TwilioClient,
  orgId: string,
): Promise<{ accountSid: string; authToken: string }> {
  const friendlyName = subaccountName(orgId);
  const [found] = await callTwilio(() => main.api.v2010.accounts.list({ friendlyName, status: 'active', limit: 1 }));
  const account = found ?? (await callTwilio(() => main.api.v2010.accounts.create({ friendlyName })));
  return { accountSid: account.sid, authToken: account.authToken };
}
