import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { findJavaTestServer } from '../../dev/java-test-server';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';

export interface TimeSkipping {
  /** The time-skipping server's client: awaiting a workflow's result lets its timers fire at once. */
  readonly client: Client;
  readonly env: TestWorkflowEnvironment;
  /**
   * Runs `body` while a worker executes the real workflow code with these fake activities on a task
   * queue of its own; `body` gets that queue. Activities the workflow calls but the fake lacks fail the test.
   */
  withWorker<T>(activities: object, body: (taskQueue: string) => Promise<T>): Promise<T>;
}

/**
 * The fast workflow layer: Temporal's time-skipping test server (one per test file), the workflow
 * bundle the global setup built, and fake activities instead of Postgres, Twilio and the gateway.
 */
export function useTimeSkipping(): TimeSkipping {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    const path = findJavaTestServer();
    if (!path) throw new Error('the Temporal test server is missing: run `npm run tools` (CI does)');
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
    // The workflows set these; the test server, like a fresh namespace, knows none of them yet.
    const keyword = temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    const searchAttributes = Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((a) => [a.name, keyword]));
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes,
    });
  });
  afterAll(() => env?.teardown());
  const started = () => {
    if (!env) throw new Error('useTimeSkipping() is used only inside tests');
    return env;
  };
  return {
    get client() {
      return started().client;
    },
    get env() {
      return started();
    },
    async withWorker(activities, body) {
      const taskQueue = `wf-${randomUUID()}`;
      const worker = await Worker.create({
        connection: started().nativeConnection,
        taskQueue,
        activities,
        workflowBundle: { codePath: inject('workflowBundlePath') },
      });
      return worker.runUntil(body(taskQueue));
    },
  };
}
