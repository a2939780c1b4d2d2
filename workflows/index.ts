// The worker registers each workflow under its function name, which the contracts spell for the
// clients (`*WorkflowType`); test/unit/workflow-names.test.ts keeps the two in step.
export { conversationWorkflow } from './conversation-workflow';
export { numberWorkflow } from './number-workflow';
export { onboardingWorkflow } from './onboarding-workflow';
export { subaccountWorkflow } from './subaccount-workflow';
export { webhookEndpointWorkflow } from './webhook-endpoint-workflow';
export { walletWorkflow } from './wallet-workflow';
