import { RetryState } from '@temporalio/common';
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  type ActivityOptions,
} from '@temporalio/workflow';
import { FailureType } from '../src/contracts/failure-types';
import {
  decisionUpdate,
  onboardingStateQuery,
  submittedUpdate,
  type OnboardingActivities,
  type OnboardingInput,
  type OnboardingView,
} from '../src/contracts/onboarding-contract';
import { OnboardingStatus } from '../src/contracts/search-attributes';
import { DATABASE_ACTIVITY } from './activity-options';

const db = proxyActivities<OnboardingActivities>(DATABASE_ACTIVITY);
// A desk outage only delays the request; the request's own expiry bounds how long (see the submission).
const DESK_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: [FailureType.OnboardingDeskRefused, FailureType.OnboardingDeskNotConfigured],
  },
};
const desk = proxyActivities<OnboardingActivities>(DESK_ACTIVITY);

export async function onboardingWorkflow(input: OnboardingInput): Promise<OnboardingView> {
  const isLink = input.method === 'existing';
  let current: OnboardingView | undefined;
  let decided = false;

  setHandler(onboardingStateQuery, () => current);
  setHandler(submittedUpdate, async () => {
    await condition(() => current !== undefined);
    return current!;
  });
  setHandler(
    decisionUpdate,
    async ({ approved, reason, wabaId }) => {
      decided = true;
      current = await db.decideOnboarding({
        requestId: input.requestId,
        status: approved ? 'approved' : 'rejected',
        reason: reason ?? null,
        ...(approved && wabaId ? { wabaId } : {}),
      });
      show(current);
      return current;
    },
    {
      validator: ({ requestId, approved }) => {
        if (requestId !== input.requestId)
          throw ApplicationFailure.nonRetryable('No such pending request', FailureType.RequestNotPending);
        if (decided || (current && !current.status.startsWith('pending'))) {
          throw ApplicationFailure.nonRetryable(
            `The request is already ${current?.status ?? 'decided'}`,
            FailureType.RequestNotPending,
          );
        }
        if (isLink && !approved)
          throw ApplicationFailure.nonRetryable('A link request can only be approved', FailureType.RequestNotPending);
      },
    },
  );

  const show = (v: OnboardingView) => upsertSearchAttributes([{ key: OnboardingStatus, value: v.status }]);
  const timeoutMs = (isLink ? input.policy.linkApprovalSeconds : input.policy.accessApprovalSeconds) * 1000;
  const expiresAt = Date.now() + timeoutMs;

  current = await db.recordOnboardingRequest({
    requestId: input.requestId,
    orgId: input.orgId,
    method: input.method,
    businessManagerId: input.businessManagerId,
    businessAccountId: input.businessAccountId,
    form: input.form,
    expiresAt: new Date(expiresAt).toISOString(),
  });
  show(current);

  let deskReference: string | undefined;
  if (!isLink) {
    // Retried no longer than the request lives (at least 1 ms: 0 would mean no limit), so that an unreachable
    // desk cannot keep the request pending past its expiry; the wait below then expires it on time.
    const submission = proxyActivities<OnboardingActivities>({
      ...DESK_ACTIVITY,
      scheduleToCloseTimeout: Math.max(1, expiresAt - Date.now()),
    });
    try {
      const submitted = await submission.submitAccessRequest({
        requestId: input.requestId,
        businessManagerId: input.businessManagerId,
        form: input.form!,
      });
      deskReference = submitted.deskReference;
      await db.noteDeskSubmission({ requestId: input.requestId, deskReference, receivedAt: submitted.receivedAt });
    } catch (err) {
      if (decided) return finish();
      if (!outlivedRequest(err)) return reject(failureMessage(err));
    }
  }

  // Waits for the decision; access requests the desk took are reminded until they expire.
  let reminders = 0;
  while (!decided) {
    const now = Date.now();
    if (now >= expiresAt) break;
    const nextReminder =
      isLink || !deskReference
        ? expiresAt
        : Math.min(expiresAt, expiresAt - timeoutMs + (reminders + 1) * input.policy.reminderSeconds * 1000);
    if (await condition(() => decided, Math.max(1, nextReminder - now))) break;
    if (Date.now() < expiresAt && !isLink && deskReference) {
      reminders += 1;
      await desk.remindAccessRequest({ deskReference });
      await db.noteReminder({ requestId: input.requestId, reminder: reminders });
    }
  }
  if (!decided) {
    decided = true;
    const waitedFor = isLink ? 'the other product to approve the link' : "the provider's decision";
    const reason =
      isLink || deskReference
        ? `No answer from ${waitedFor} in time`
        : "The provider's onboarding desk could not be reached before the request expired";
    current = await db.decideOnboarding({ requestId: input.requestId, status: 'expired', reason });
    show(current);
  }
  return finish();

  async function reject(reason: string): Promise<OnboardingView> {
    current = await db.decideOnboarding({ requestId: input.requestId, status: 'rejected', reason });
    show(current);
    return finish();
  }

  async function finish(): Promise<OnboardingView> {
    await condition(allHandlersFinished);
    return current!;
  }
}

/** The desk submission ran out of the time the request had, rather than being refused. */
function outlivedRequest(err: unknown): boolean {
  return err instanceof ActivityFailure && err.retryState === RetryState.TIMEOUT;
}

function failureMessage(err: unknown): string {
  const cause = (err as { cause?: { message?: string } }).cause;
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}
