import { ensureGoTool, STRIPE_MOCK, TEMPORAL_CLI } from '../dev/go-tools';
import { ensureJavaTestServer } from '../dev/java-test-server';

// Finds or fetches the tools the tests use and prints their paths: the Temporal CLI and stripe-mock
// (built from the Go module proxy) and Temporal's time-skipping test server (from Maven Central).
async function main(): Promise<void> {
  for (const tool of [TEMPORAL_CLI, STRIPE_MOCK]) {
    const path = await ensureGoTool(tool);
    if (!path) throw new Error(`${tool.binary} is not available and could not be built`);
    console.log(`${tool.binary}: ${path}`);
  }
  console.log(`temporal-test-server: ${await ensureJavaTestServer()}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
