import { ensureGoTool, STRIPE_MOCK, TEMPORAL_CLI } from '../dev/go-tools';

// Finds or builds the Go tools the tests use (Temporal CLI, stripe-mock) and prints their paths.
async function main(): Promise<void> {
  for (const tool of [TEMPORAL_CLI, STRIPE_MOCK]) {
    const path = await ensureGoTool(tool);
    if (!path) throw new Error(`${tool.binary} is not available and could not be built`);
    console.log(`${tool.binary}: ${path}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
