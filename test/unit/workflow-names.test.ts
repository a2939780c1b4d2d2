import { describe, expect, it } from 'vitest';
import { conversationWorkflowType } from '../../src/contracts/conversation-contract';
import { numberWorkflowType } from '../../src/contracts/number-contract';
import { onboardingWorkflowType } from '../../src/contracts/onboarding-contract';
import { subaccountWorkflowType } from '../../src/contracts/subaccount-contract';
import { walletWorkflowType } from '../../src/contracts/wallet-contract';
import { webhookEndpointWorkflowType } from '../../src/contracts/webhook-contract';
import * as workflows from '../../workflows';

// Clients start and find workflows by these names; running workflows keep the names they started with.
describe('workflow type names', () => {
  it('registers exactly the workflows the contracts name, under those names', () => {
    const named = [
      conversationWorkflowType,
      numberWorkflowType,
      onboardingWorkflowType,
      subaccountWorkflowType,
      walletWorkflowType,
      webhookEndpointWorkflowType,
    ];
    expect(Object.keys(workflows).sort()).toEqual([...named].sort());
    for (const name of named) expect(typeof (workflows as Record<string, unknown>)[name]).toBe('function');
  });
});
