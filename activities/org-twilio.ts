import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../src/db/database';
import { subaccountOfMessage, subaccountState, type OrgSubaccount } from '../src/db/queries/subaccount-queries';
import type { TenantAccounts } from '../src/providers/twilio/sealed-credentials';
import { createTwilioClient, type TwilioClient } from '../src/providers/twilio/twilio-client';

/**
 * The Twilio client of an organisation's own subaccount, with that account's credentials: whatever an
 * activity does for one tenant (buy, register, send) cannot touch another's numbers or templates.
 */
export function orgTwilio(db: Db, accounts: TenantAccounts) {
  const clientOf = (stored: OrgSubaccount | undefined, what: string): TwilioClient => {
    // The API refuses every Twilio step before the subaccount exists, so this is a broken invariant, not an outage.
    if (!stored) throw ApplicationFailure.nonRetryable(`${what} has no Twilio subaccount yet`);
    return createTwilioClient(accounts.open(stored));
  };
  return {
    forOrg: async (orgId: string) => clientOf((await subaccountState(db, orgId))?.account, `organisation ${orgId}`),
    forMessage: async (messageId: string) =>
      clientOf(await subaccountOfMessage(db, messageId), `the organisation of message ${messageId}`),
  };
}

export type OrgTwilio = ReturnType<typeof orgTwilio>;
