import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { HISTORIES_DIR } from './helpers/record-history';

Runtime.install({ logger: new DefaultLogger('WARN') });

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

describe('recorded workflow histories', () => {
  it('has at least one history to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  // A change that would break workflows already running in production fails here with a non-determinism error.
  it.each(files)("replays %s with today's workflow code", async (file) => {
    const history: unknown = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, file);
  });
});
