import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import {
  decisionUpdate,
  onboardingWorkflowId,
  onboardingWorkflowType,
  submittedUpdate,
  type Decision,
  type OnboardingInput,
  type OnboardingWorkflow,
} from '../contracts/onboarding-contract';
import { OnboardingStatus, OrgId } from '../contracts/search-attributes';
import { withinDeadline } from './call-deadline';

/**
 * Starts `onboarding:<orgId>` and waits until the request is recorded. One runs at a time per
 * organisation: a second start while one waits fails with WorkflowExecutionAlreadyStartedError.
 */
export function startOnboarding(temporal: Client, taskQueue: string, input: OnboardingInput) {
  const what = input.method === 'existing' ? 'link to existing' : 'access request for';
  return withinDeadline(temporal, () =>
    temporal.workflow.executeUpdateWithStart(submittedUpdate, {
      updateId: `submitted:${input.requestId}`,
      startWorkflowOperation: new WithStartWorkflowOperation<OnboardingWorkflow>(onboardingWorkflowType, {
        workflowId: onboardingWorkflowId(input.orgId),
        taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        typedSearchAttributes: [
          { key: OrgId, value: input.orgId },
          { key: OnboardingStatus, value: input.method === 'existing' ? 'pending_link_approval' : 'pending_approval' },
        ],
        staticSummary: `WhatsApp onboarding: ${what} Business Manager ${input.businessManagerId}`,
      }),
    }),
  );
}

export function decideOnboarding(temporal: Client, orgId: string, decision: Decision) {
  const handle = temporal.workflow.getHandle(onboardingWorkflowId(orgId));
  return withinDeadline(temporal, () => handle.executeUpdate(decisionUpdate, { args: [decision] }));
}
