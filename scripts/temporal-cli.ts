import { ensureTemporalCli } from '../src/dev/temporal-cli';

// Finds or builds the Temporal CLI and prints its path (used by .ci/run and by hand).
ensureTemporalCli()
  .then((path) => {
    if (!path) {
      console.error('no Temporal CLI available; the SDK will download one on first use');
      process.exit(1);
    }
    console.log(path);
  })
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
