import { describe, expect, it } from 'vitest';
import { reconnectDelaySeconds } from '../../src/db/database';

describe('reconnecting to PostgreSQL after it restarts', () => {
  // The pool counts every lost connection: a restart that drops all 20 must not keep a process away for long.
  it('waits at most a second before trying again, however many connections the pool lost', () => {
    const delays = [1, 2, 20, 100, 10_000].map(reconnectDelaySeconds);
    for (const delay of delays) expect(delay).toBeGreaterThan(0);
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(1);
  });
});
