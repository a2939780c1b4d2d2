import { ApplicationFailure } from '@temporalio/activity';
import type { FailureType } from '../src/contracts/failure-types';
import { TwilioRefusedError } from '../src/providers/twilio/twilio-errors';

/** A refusal from Twilio will not change on retry; it is the workflow's answer, not a fault. */
export async function refusedAs<T>(type: FailureType, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof TwilioRefusedError)) throw err;
    const message = `${err.message}${err.code ? ` (Twilio ${err.code})` : ''}`;
    throw ApplicationFailure.nonRetryable(message, type, { code: err.code });
  }
}
