import { ApplicationFailure } from '@temporalio/activity';
import { FailureType } from '../src/contracts/failure-types';
import type { OnboardingActivities } from '../src/contracts/onboarding-contract';
import {
  DeskRefusedError,
  DeskUnavailableError,
  remindAccessRequest,
  submitAccessRequest,
  type OnboardingDeskConfig,
} from '../src/providers/onboarding-desk/onboarding-desk-client';

/** A refusal will not change on retry: the workflow records it instead of retrying for days. */
async function asFailure<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof DeskRefusedError)
      throw ApplicationFailure.nonRetryable(err.message, FailureType.OnboardingDeskRefused);
    if (!(err instanceof DeskUnavailableError)) throw err;
    throw ApplicationFailure.retryable(err.message, FailureType.OnboardingDeskUnavailable);
  }
}

export function createOnboardingDeskActivities({
  onboardingDesk,
}: {
  onboardingDesk?: OnboardingDeskConfig;
}): Pick<OnboardingActivities, 'submitAccessRequest' | 'remindAccessRequest'> {
  const desk = () => {
    if (onboardingDesk) return onboardingDesk;
    const message = 'ONBOARDING_DESK_URL (and its ONBOARDING_DESK_TOKEN) is not configured on the worker';
    throw ApplicationFailure.nonRetryable(message, FailureType.OnboardingDeskNotConfigured);
  };
  return {
    async submitAccessRequest(input) {
      const config = desk();
      return asFailure(() => submitAccessRequest(config, input));
    },
    async remindAccessRequest({ deskReference }) {
      const config = desk();
      await asFailure(() => remindAccessRequest(config, deskReference));
    },
  };
}
