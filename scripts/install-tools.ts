import { ensureGoTool, STRIPE_MOCK, TEMPORAL_CLI, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL } from '../dev/go-tools';
import { ensureJavaTestServer } from '../dev/java-test-server';

// Finds or fetches the tools the tests use and prints their paths: the Temporal CLI, stripe-mock, and
// Temporal's server and SQL tool for the production topology (built from the Go module proxy), and
// Temporal's time-skipping test server (from Maven Central).
async function main(): Promise<void> {
  for (const tool of [TEMPORAL_CLI, STRIPE_MOCK, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL]) {
    const path = await ensureGoTool(tool);
    if (!path) throw new Error(`${tool.name ?? tool.binary} is not available and could not be built`);
    console.log(`${tool.name ?? tool.binary}: ${path}`);
  }
  console.log(`temporal-test-server: ${await ensureJavaTestServer()}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
