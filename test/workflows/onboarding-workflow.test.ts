import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FailureType } from '../../src/contracts/failure-types';
import {
  decisionUpdate,
  onboardingStateQuery,
  onboardingWorkflowType,
  submittedUpdate,
  type OnboardingInput,
  type OnboardingWorkflow,
} from '../../src/contracts/onboarding-contract';
import type { OnboardingPolicy } from '../../src/domain/policies';
import { useTimeSkipping } from '../helpers/time-skipping';
import { DAY, onboardingFakes, refusal, fakeWorkers } from './fakes';

const t = useTimeSkipping();
const { withWorker, track } = fakeWorkers(t);
const policy: OnboardingPolicy = {
  linkApprovalSeconds: 5 * DAY,
  accessApprovalSeconds: 7 * DAY,
  reminderSeconds: 2 * DAY,
};
const form = { businessName: 'Acme', website: 'https://acme.test', contactEmail: 'a@acme.test', contactPhone: '+1555' };
const accessRequest: OnboardingInput = {
  orgId: 'o1',
  requestId: 'req-1',
  method: 'access_request',
  businessManagerId: 'bm-1',
  form,
  policy,
};
const linkRequest: OnboardingInput = {
  ...accessRequest,
  method: 'existing',
  businessAccountId: 'act-1',
  form: undefined,
};

/** Starts the request; t0 is server time just before, so its deadlines are no earlier than t0 + their seconds. */
async function startOnboarding(taskQueue: string, input: OnboardingInput) {
  const t0 = await t.env.currentTimeMs();
  const handle = await t.client.workflow.start<OnboardingWorkflow>(onboardingWorkflowType, {
    workflowId: `onboarding-${randomUUID()}`,
    taskQueue,
    args: [input],
  });
  return { handle: track(handle), t0 };
}

describe('onboarding workflow', () => {
  it('reminds the desk every reminderSeconds until the access request expires as expired', async () => {
    const { rec, activities } = onboardingFakes(t);
    let t0 = 0;
    const view = await withWorker(activities, async (taskQueue) => {
      const started = await startOnboarding(taskQueue, accessRequest);
      t0 = started.t0;
      expect(await started.handle.executeUpdate(submittedUpdate)).toMatchObject({ status: 'pending_approval' });
      return started.handle.result();
    });
    expect(view).toEqual({
      requestId: 'req-1',
      status: 'expired',
      reason: "No answer from the provider's decision in time",
    });
    expect(rec.inputs('noteDeskSubmission')).toEqual([{ requestId: 'req-1', deskReference: 'DESK-1' }]);
    expect(rec.inputs('remindAccessRequest')).toEqual(Array(3).fill({ deskReference: 'DESK-1' }));
    expect(rec.inputs('noteReminder').map((r) => r.reminder)).toEqual([1, 2, 3]);
    const reminded = rec.of('remindAccessRequest').map((c) => c.at - t0);
    [2, 4, 6].forEach((days, i) => expect(reminded[i]).toBeGreaterThanOrEqual(days * DAY * 1000));
    expect(rec.of('decideOnboarding')[0]!.at).toBeGreaterThanOrEqual(t0 + 7 * DAY * 1000);
  });

  it("ends approved on the provider's approval, keeping the WhatsApp Business Account it carries, refusing a second decision", async () => {
    const { rec, activities } = onboardingFakes(t);
    const deciding = rec.hold('decideOnboarding'); // the run is still live while the first decision is written
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startOnboarding(taskQueue, accessRequest);
      await t.env.sleep('3 days');
      const approved = { requestId: 'req-1', approved: true, wabaId: '102290129340398' };
      const approval = handle.executeUpdate(decisionUpdate, { args: [approved] });
      await deciding.entered;
      const second = handle.executeUpdate(decisionUpdate, { args: [{ requestId: 'req-1', approved: false }] });
      expect((await refusal(second)).type).toBe(FailureType.RequestNotPending);
      deciding.release();
      expect(await approval).toEqual({ requestId: 'req-1', status: 'approved', reason: null });
      expect(await handle.result()).toMatchObject({ status: 'approved' });
    });
    expect(rec.inputs('decideOnboarding')).toEqual([
      { requestId: 'req-1', status: 'approved', reason: null, wabaId: '102290129340398' },
    ]);
    expect(rec.of('remindAccessRequest')).toHaveLength(1);
  });

  it("ends rejected with the desk's reason when the desk refuses the request, without retrying it", async () => {
    const deskRefuses = {
      submitAccessRequest: (): never => {
        throw ApplicationFailure.nonRetryable('Business Manager not verified', FailureType.OnboardingDeskRefused);
      },
    };
    const { rec, activities } = onboardingFakes(t, deskRefuses);
    const view = await withWorker(activities, async (taskQueue) =>
      (await startOnboarding(taskQueue, accessRequest)).handle.result(),
    );
    expect(view).toEqual({ requestId: 'req-1', status: 'rejected', reason: 'Business Manager not verified' });
    expect(rec.of('submitAccessRequest')).toHaveLength(1);
    expect(rec.names()).not.toContain('noteDeskSubmission');
    expect(rec.names()).not.toContain('remindAccessRequest');
  });

  // The submission is retried through a desk outage only until the request's expiry, which then decides it.
  it('expires an access request on time even while the desk is unreachable', async () => {
    const deskDown = { submitAccessRequest: () => Promise.reject(new Error('The desk is unavailable')) };
    const { rec, activities } = onboardingFakes(t, deskDown);
    const hourLong = { ...policy, accessApprovalSeconds: 3600, reminderSeconds: 1800 };
    let t0 = 0;
    await withWorker(activities, async (taskQueue) => {
      const started = await startOnboarding(taskQueue, { ...accessRequest, policy: hourLong });
      t0 = started.t0;
      await t.env.sleep('3 hours');
      expect(await started.handle.query(onboardingStateQuery)).toMatchObject({ status: 'expired' });
    });
    expect(rec.inputs('decideOnboarding')).toEqual([
      {
        requestId: 'req-1',
        status: 'expired',
        reason: "The provider's onboarding desk could not be reached before the request expired",
      },
    ]);
    const expiredAt = rec.of('decideOnboarding')[0]!.at;
    expect(expiredAt).toBeGreaterThanOrEqual(t0 + 3600_000);
    expect(expiredAt).toBeLessThan(t0 + 3600_000 + 60_000);
    expect(rec.of('submitAccessRequest').length).toBeGreaterThan(1); // retried while there was time
    expect(rec.names()).not.toContain('noteDeskSubmission');
    expect(rec.names()).not.toContain('remindAccessRequest');
  });

  it('refuses a decision for another request with RequestNotPending', async () => {
    const { rec, activities } = onboardingFakes(t);
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startOnboarding(taskQueue, accessRequest);
      const other = handle.executeUpdate(decisionUpdate, { args: [{ requestId: 'req-2', approved: true }] });
      expect((await refusal(other)).type).toBe(FailureType.RequestNotPending);
    });
    expect(rec.of('decideOnboarding')).toEqual([]);
  });

  it('cannot reject a link request, which expires after linkApprovalSeconds without reminders', async () => {
    const { rec, activities } = onboardingFakes(t);
    await withWorker(activities, async (taskQueue) => {
      const { handle, t0 } = await startOnboarding(taskQueue, linkRequest);
      expect(await handle.executeUpdate(submittedUpdate)).toMatchObject({ status: 'pending_link_approval' });
      const rejection = handle.executeUpdate(decisionUpdate, { args: [{ requestId: 'req-1', approved: false }] });
      const refused = await refusal(rejection);
      expect([refused.type, refused.message]).toEqual([
        FailureType.RequestNotPending,
        'A link request can only be approved',
      ]);
      await t.env.sleep((5 * DAY - 3600) * 1000);
      expect(await handle.query(onboardingStateQuery)).toMatchObject({ status: 'pending_link_approval' });
      const view = await handle.result();
      expect(view).toMatchObject({
        status: 'expired',
        reason: 'No answer from the other product to approve the link in time',
      });
      expect(rec.of('decideOnboarding')[0]!.at).toBeGreaterThanOrEqual(t0 + 5 * DAY * 1000);
    });
    expect(rec.names()).toEqual(['recordOnboardingRequest', 'decideOnboarding']);
  });

  it('approves a link request when the other product approves it', async () => {
    const { activities } = onboardingFakes(t);
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startOnboarding(taskQueue, linkRequest);
      await t.env.sleep('1 day');
      await handle.executeUpdate(decisionUpdate, { args: [{ requestId: 'req-1', approved: true }] });
      expect(await handle.result()).toMatchObject({ status: 'approved' });
    });
  });
});
