import { bundleWorkflows } from '../dev/workflow-bundle';
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// `npm run build`: what production runs with plain node, in dist/ (git-ignored). Entry points:
// dist/src/api/api-main.js, dist/worker/worker-main.js, dist/src/db/migrate-main.js.
const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');

async function main(): Promise<void> {
  // From scratch: a module deleted from the sources must not live on in dist/.
  rmSync(DIST, { recursive: true, force: true });
  const tsc = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) throw new Error('tsc failed');
  // tsc copies no SQL: migrateDatabase reads them beside the compiled database.js (MIGRATIONS_DIR). The
  // migrator needs the .sql files and meta/_journal.json; drizzle-kit's schema snapshots stay behind.
  cpSync(join(ROOT, 'src', 'db', 'migrations'), join(DIST, 'src', 'db', 'migrations'), {
    recursive: true,
    filter: (source) => !source.endsWith('_snapshot.json'),
  });
  // The worker loads this bundle instead of running webpack at every start (prebuiltWorkflowBundle).
  writeFileSync(join(DIST, 'workflow-bundle.js'), await bundleWorkflows());
  console.log('built dist/ (api, worker, migrate, workflow bundle)');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
