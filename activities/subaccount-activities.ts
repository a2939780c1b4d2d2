import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../src/contracts/failure-types';
import type { SubaccountActivities } from '../src/contracts/subaccount-contract';
import type { Db } from '../src/db/database';
import { markSubaccount, saveSubaccount, subaccountState } from '../src/db/queries/subaccount-queries';
import type { TenantAccounts } from '../src/providers/twilio/sealed-credentials';
import type { TwilioClient } from '../src/providers/twilio/twilio-client';
import { findOrCreateSubaccount } from '../src/providers/twilio/twilio-subaccounts';
import { refusedAs } from './twilio-refusals';

export function createSubaccountActivities(deps: {
  db: Db;
  /** The main account: only it creates subaccounts. */
  twilio: TwilioClient;
  subaccounts: TenantAccounts;
}): SubaccountActivities {
  const { db } = deps;
  return {
    async openSubaccount({ orgId }) {
      const state = await subaccountState(db, orgId);
      if (!state) throw ApplicationFailure.nonRetryable(`organisation ${orgId} has no WhatsApp channel`);
      if (state.account) return { accountSid: state.account.accountSid };
      const made = await refusedAs(FailureType.SubaccountRefused, () => findOrCreateSubaccount(deps.twilio, orgId));
      const authTokenSealed = deps.subaccounts.seal(made.accountSid, made.authToken);
      await saveSubaccount(db, orgId, { accountSid: made.accountSid, authTokenSealed });
      return { accountSid: made.accountSid };
    },
    async noteSubaccountRefused({ orgId, reason }) {
      await markSubaccount(db, orgId, 'failed', reason);
    },
  };
}
