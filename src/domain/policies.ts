import type { NumberPolicy } from '../../workflows/number-workflow';
import type { OnboardingPolicy } from '../../workflows/onboarding-workflow';

const DAY = 24 * 60 * 60;

/** Production durations; tests pass seconds instead. */
export const DEFAULT_ONBOARDING_POLICY: OnboardingPolicy = {
  linkApprovalSeconds: 7 * DAY,
  accessApprovalSeconds: 14 * DAY,
  reminderSeconds: 2 * DAY,
};

export const DEFAULT_NUMBER_POLICY: NumberPolicy = {
  periodSeconds: 30 * DAY,
  graceSeconds: 7 * DAY,
  graceRetrySeconds: DAY,
  senderPollSeconds: 5,
  senderPollMaxSeconds: 10 * 60,
  senderTimeoutSeconds: 14 * DAY,
};
