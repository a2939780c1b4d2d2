import type { Db } from '../src/db/database';
import { activeNumbers } from '../src/db/queries/number-queries';
import { allSubaccounts } from '../src/db/queries/subaccount-queries';
import type { TenantAccounts } from '../src/providers/twilio/sealed-credentials';
import { subaccountName } from '../src/providers/twilio/twilio-subaccounts';
import type { EmulatorOptions } from './emulator/twilio-emulator';

/**
 * What a fresh emulator must know of a database Switchboard already used: each organisation's subaccount
 * (same SID and token, which the database keeps sealed) and its live numbers as ONLINE senders there.
 */
export async function emulatedTenants(
  db: Db,
  subaccounts: TenantAccounts,
): Promise<Pick<EmulatorOptions, 'subaccounts' | 'numbers'>> {
  const accounts = await allSubaccounts(db);
  const accountOf = new Map(accounts.map((a) => [a.orgId, a.accountSid]));
  const numbers = await activeNumbers(db);
  return {
    subaccounts: accounts.map((a) => ({
      sid: a.accountSid,
      authToken: subaccounts.open(a).authToken,
      friendlyName: subaccountName(a.orgId),
    })),
    numbers: numbers.flatMap((n) => {
      const accountSid = accountOf.get(n.orgId);
      return accountSid ? [{ phoneNumber: n.e164, whatsappSender: true, accountSid }] : [];
    }),
  };
}
