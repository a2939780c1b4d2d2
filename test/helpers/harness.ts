import { inject } from 'vitest';
import { startStack, type Harness } from './stack';

export * from './stack';

/** In a test file: the services the global setup started. */
export function startHarness(): Promise<Harness> {
  return startStack({
    postgresUrl: inject('postgresUrl'),
    templateDatabase: inject('templateDatabase'),
    temporalAddress: inject('temporalAddress'),
    workflowBundlePath: inject('workflowBundlePath'),
  });
}
