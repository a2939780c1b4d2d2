import { inject } from 'vitest';
import { startStack, type Harness, type StackServices } from '../../dev/harness/test-stack';

export * from '../../dev/harness/test-stack';

/** In a test file: the services the global setup started. */
export function startHarness(opts: Pick<StackServices, 'onboardingPolicy' | 'numberPolicy'> = {}): Promise<Harness> {
  return startStack({
    ...opts,
    postgresUrl: inject('postgresUrl'),
    templateDatabase: inject('templateDatabase'),
    temporalAddress: inject('temporalAddress'),
    workflowBundlePath: inject('workflowBundlePath'),
  });
}
