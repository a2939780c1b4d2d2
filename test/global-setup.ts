import type { TestProject } from 'vitest/node';
import { startServices } from '../dev/harness/test-services';

/**
 * One real Temporal dev server and one real PostgreSQL for the whole run; each test file then
 * gets its own database (cloned from a migrated template) and its own task queue.
 */
export default async function setup(project: TestProject) {
  const { services, teardown } = await startServices();
  project.provide('temporalAddress', services.temporalAddress);
  project.provide('postgresUrl', services.postgresUrl);
  project.provide('templateDatabase', services.templateDatabase);
  project.provide('workflowBundlePath', services.workflowBundlePath);
  return teardown;
}
