import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { FailureType } from '../src/contracts/failure-types';
import type { SubaccountActivities, SubaccountInput, SubaccountOutcome } from '../src/contracts/subaccount-contract';
import { DATABASE_ACTIVITY } from './activity-options';

const db = proxyActivities<SubaccountActivities>(DATABASE_ACTIVITY);
// A Twilio outage only delays the subaccount: the admin sees "creating" until it is back.
const twilio = proxyActivities<SubaccountActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [FailureType.SubaccountRefused],
  },
});

const refusal = (err: unknown) =>
  err instanceof ActivityFailure &&
  err.cause instanceof ApplicationFailure &&
  err.cause.type === FailureType.SubaccountRefused
    ? err.cause.message
    : undefined;

/** The organisation's own Twilio subaccount, made once its WhatsApp channel exists (after consent). */
export async function subaccountWorkflow(input: SubaccountInput): Promise<SubaccountOutcome> {
  try {
    return await twilio.openSubaccount(input);
  } catch (err) {
    const reason = refusal(err);
    if (reason === undefined) throw err;
    await db.noteSubaccountRefused({ ...input, reason });
    return { refused: reason };
  }
}
