import { bundleWorkflowCode } from '@temporalio/worker';
import { join } from 'node:path';

// webpack's module-by-module report would bury the outcome; its warnings and errors still show.
const quiet = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/** The workflows (workflows/index.ts) bundled as the worker loads them, for a build or a prebuilt-bundle worker. */
export async function bundleWorkflows(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(__dirname, '..', 'workflows', 'index.ts'),
    workflowInterceptorModules: [join(__dirname, '..', 'workflows', 'request-id-interceptors.ts')],
    logger: quiet,
  });
  return code;
}
