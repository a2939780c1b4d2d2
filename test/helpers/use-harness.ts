import { afterAll, beforeAll, inject } from 'vitest';
import { startStack, type Harness, type StackServices } from '../../dev/harness/test-stack';

export * from '../../dev/harness/test-stack';

/** Stands in for a value the file's `beforeAll` makes, so tests read it as a plain constant. */
function live<T extends object>(what: string, current: () => T | undefined): T {
  const value = () => {
    const v = current();
    if (!v) throw new Error(`${what} is made in beforeAll: use it inside tests and hooks`);
    return v;
  };
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(value(), key) as unknown,
    has: (_, key) => Reflect.has(value(), key),
    ownKeys: () => Reflect.ownKeys(value()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(value(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}

/**
 * The test file's own Switchboard — database, task queue, API, worker and Twilio emulator — on the
 * Temporal server and PostgreSQL the global setup started; closed after the file's tests.
 */
export function useHarness(opts: Pick<StackServices, 'onboardingPolicy' | 'numberPolicy' | 'logs'> = {}): Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startStack({
      ...opts,
      postgresUrl: inject('postgresUrl'),
      templateDatabase: inject('templateDatabase'),
      temporalAddress: inject('temporalAddress'),
      workflowBundlePath: inject('workflowBundlePath'),
    });
  });
  afterAll(() => harness?.close());
  return live('the harness', () => harness);
}

/** Something the file's tests share (an organisation, a desk), made once after the harness starts. */
export function useFixture<T extends object>(make: () => Promise<T>): T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await make();
  });
  return live('a fixture', () => value);
}
