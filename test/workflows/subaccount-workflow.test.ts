import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../src/contracts/failure-types';
import {
  subaccountWorkflowType,
  type SubaccountActivities,
  type SubaccountWorkflow,
} from '../../src/contracts/subaccount-contract';
import { useTimeSkipping } from '../helpers/time-skipping';
import { fakeWorkers, Recorder } from './fakes';

const t = useTimeSkipping();
const { withWorker } = fakeWorkers(t);

/** Twilio's Accounts API answering each call in turn: an error to throw, or the SID it made. */
function subaccountFakes(answers: (Error | string)[]) {
  const rec = new Recorder(t);
  let call = 0;
  const activities = rec.wrap<SubaccountActivities>({
    openSubaccount: () => {
      const answer = answers[Math.min(call++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return { accountSid: answer };
    },
    noteSubaccountRefused: () => undefined,
  });
  return { rec, activities };
}

const run = (activities: SubaccountActivities) =>
  withWorker(activities, (taskQueue) =>
    t.client.workflow.execute<SubaccountWorkflow>(subaccountWorkflowType, {
      workflowId: `twilio-subaccount:${randomUUID()}`,
      taskQueue,
      args: [{ orgId: 'o1' }],
    }),
  );

describe('subaccount workflow', () => {
  it('waits out a Twilio outage and ends with the subaccount made', async () => {
    const outage = ApplicationFailure.retryable('Twilio answered 503', FailureType.TwilioUnavailable);
    const { rec, activities } = subaccountFakes([outage, outage, 'AC1']);
    expect(await run(activities)).toEqual({ accountSid: 'AC1' });
    expect(rec.of('openSubaccount')).toHaveLength(3);
    expect(rec.names()).not.toContain('noteSubaccountRefused');
  });

  it("records Twilio's refusal for the admin, once, without asking again", async () => {
    const limit = 'Reached maximum number of subaccounts (Twilio 21480)';
    const { rec, activities } = subaccountFakes([
      ApplicationFailure.nonRetryable(limit, FailureType.SubaccountRefused),
    ]);
    expect(await run(activities)).toEqual({ refused: limit });
    expect(rec.of('openSubaccount')).toHaveLength(1);
    expect(rec.inputs('noteSubaccountRefused')).toEqual([{ orgId: 'o1', reason: limit }]);
  });
});
