import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createActivities, type ActivityDeps } from '../activities';
import { ConfigError } from '../src/config';
import type { Logger } from '../src/logger';
import { activityCorrelation } from './activity-correlation';

export interface WorkerDeps extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Prebuilt workflow code (tests bundle once); otherwise the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Where activities' lines go, each with its workflow and request (worker/activity-correlation.ts). */
  logger: Logger;
  /** Workflows kept in memory; one that is evicted must replay its history when it next wakes. */
  maxCachedWorkflows?: number;
}

/**
 * `npm run build` writes dist/workflow-bundle.js beside dist/worker/, so the compiled worker starts at
 * once, without webpack and without the workflows' TypeScript sources. A configured path
 * (WORKFLOW_BUNDLE_PATH) must exist; with neither (tsx in development, tests) the worker bundles at start.
 */
export function prebuiltWorkflowBundle(configuredPath?: string): WorkerOptions['workflowBundle'] {
  if (configuredPath) {
    if (!existsSync(configuredPath)) throw new ConfigError(`WORKFLOW_BUNDLE_PATH: no file at ${configuredPath}`);
    return { codePath: configuredPath };
  }
  const besideTheBuild = join(__dirname, '..', 'workflow-bundle.js');
  return existsSync(besideTheBuild) ? { codePath: besideTheBuild } : undefined;
}

export async function createWorker(deps: WorkerDeps): Promise<Worker> {
  const activity = [activityCorrelation(deps.logger)];
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    activities: createActivities(deps),
    ...(deps.maxCachedWorkflows ? { maxCachedWorkflows: deps.maxCachedWorkflows } : {}),
    // A prebuilt bundle has the workflows' interceptors in it already (dev/workflow-bundle.ts).
    ...(deps.workflowBundle
      ? { workflowBundle: deps.workflowBundle, interceptors: { activity } }
      : {
          workflowsPath: require.resolve('../workflows'),
          interceptors: { activity, workflowModules: [require.resolve('../workflows/request-id-interceptors')] },
        }),
  });
}
