// The architecture as rules: `npm run lint` fails when an import goes the wrong way or closes a cycle.
// The folder rules below put the folders in one order (each may import only folders below it), so no
// cycle between folders can pass them; `no-circular` catches cycles between modules within a folder.
//
//   workflows ─▶ contracts ─▶ domain          (deterministic: replayed by Temporal)
//   api, activities ─▶ workflow-client ─▶ db ─▶ contracts, domain
//   api (reads), activities ─▶ providers ─▶ contracts, domain
//   worker ─▶ activities;   dev ─▶ anything shipped;   test ─▶ anything;   bench ─▶ dev
const shipped = '^(src|workflows|activities|worker)/';
const notShipped = '^(dev|test|bench|scripts)/';

/**
 * A rule that lets `from` import only the named paths (regex fragments), npm packages (all, or the
 * ones listed) and, unless `core` is false, Node's built-in modules.
 */
function onlyImports(name, comment, from, allowed, { npm = 'any', core = true } = {}) {
  const pathNot = [`^(${allowed.join('|')})(/|$)`];
  if (Array.isArray(npm) && npm.length) pathNot.push(`^node_modules/(${npm.join('|')})/`);
  const typesNot = [...(npm === 'any' ? ['npm'] : []), ...(core ? ['core'] : [])];
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from },
    to: typesNot.length ? { pathNot, dependencyTypesNot: typesNot } : { pathNot },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one; split what they share into a module both import.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    onlyImports(
      'workflows-see-contracts-and-domain',
      'Workflow code is replayed deterministically: it reaches the outside only through activities declared in contracts.',
      '^workflows/',
      ['workflows', 'src/contracts', 'src/domain'],
      { npm: ['@temporalio/workflow', '@temporalio/common'], core: false },
    ),
    onlyImports(
      'contracts-are-pure',
      'Contracts are shared by workflows and their clients: no database, HTTP or provider types.',
      '^src/contracts/',
      ['src/contracts', 'src/domain'],
      { npm: ['@temporalio/workflow', '@temporalio/common'], core: false },
    ),
    onlyImports('domain-is-pure', 'Domain rules are plain functions and constants.', '^src/domain/', ['src/domain'], {
      npm: [],
      core: false,
    }),
    onlyImports(
      'db-below-its-users',
      'The database layer knows the contracts and domain only; never HTTP, providers or Temporal.',
      '^src/db/(?!migrate-main\\.ts$)',
      ['src/db', 'src/contracts', 'src/domain'],
      { npm: ['drizzle-orm', 'postgres'] },
    ),
    onlyImports(
      'migrate-job-needs-the-database-only',
      'The one-shot migrate job (npm run migrate) is a process: configuration, logging, the stop sequence and src/db.',
      '^src/db/migrate-main\\.ts$',
      ['src/db', 'src/[^/]+\\.ts'],
      { npm: [] },
    ),
    onlyImports(
      'providers-are-adapters',
      'Provider adapters throw typed errors; the API or an activity decides what they mean.',
      '^src/providers/',
      ['src/providers', 'src/contracts', 'src/domain', 'src/config\\.ts'],
    ),
    onlyImports(
      'workflow-client-below-api-and-activities',
      'Starting, signalling and updating workflows: shared by the API and the activities.',
      '^src/workflow-client/',
      ['src/workflow-client', 'src/contracts', 'src/domain', 'src/db'],
      { npm: ['@temporalio/client'] },
    ),
    onlyImports(
      'process-basics-stand-alone',
      'Configuration, logging and the stop sequence are used by every process and use nothing of ours.',
      '^src/[^/]+$',
      ['src/[^/]+\\.ts'],
    ),
    {
      name: 'api-never-sends',
      comment:
        'The API reads from providers (numbers for sale, templates, media); sending and buying happen in activities.',
      severity: 'error',
      from: { path: '^src/api/' },
      to: {
        path: [
          '^activities/',
          '^workflows/',
          '^worker/',
          '^src/providers/(payments|onboarding-desk)/',
          '^src/providers/twilio/twilio-(client|messaging|numbers)',
        ],
      },
    },
    {
      name: 'activities-do-not-serve-http',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: ['^src/api/', '^workflows/', '^worker/'] },
    },
    {
      name: 'worker-runs-activities-not-api',
      severity: 'error',
      from: { path: '^worker/' },
      to: { path: ['^src/api/'] },
    },
    {
      name: 'shipped-code-stands-alone',
      comment: 'What `npm run api` and `npm run worker` run must not need dev tooling, tests or devDependencies.',
      severity: 'error',
      from: { path: shipped },
      to: { path: notShipped },
    },
    {
      name: 'shipped-code-uses-dependencies-only',
      severity: 'error',
      from: { path: shipped },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'dev-tooling-does-not-need-tests',
      comment: 'test/, bench/ and faults/ share what is in dev/, not each other.',
      severity: 'error',
      from: { path: '^(dev|bench|scripts|faults)/' },
      to: { path: '^test/' },
    },
    onlyImports(
      'emulator-stands-alone',
      "The Twilio emulator speaks Twilio's wire format only; it knows nothing of Switchboard.",
      '^dev/emulator/',
      ['dev/emulator'],
    ),
    {
      name: 'dev-tools-below-the-harness',
      comment: 'npm start and the tool builders do not need the test harness; the harness may use them.',
      severity: 'error',
      from: { path: '^dev/[^/]+$' },
      to: { path: '^dev/harness/' },
    },
    ...['scripts', 'bench'].map((folder) => ({
      name: `nothing-imports-${folder}`,
      comment: 'Command-line entry points: run, never imported.',
      severity: 'error',
      from: { pathNot: `^${folder}/` },
      to: { path: `^${folder}/` },
    })),
    {
      name: 'nothing-imports-faults',
      comment: 'The fault suite (npm run faults) is run, and imported only by its CI run, test/faults.test.ts.',
      severity: 'error',
      from: { pathNot: '^(faults|test)/' },
      to: { path: '^faults/' },
    },
    {
      name: 'no-unresolvable-imports',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^src/db/migrations/'] },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
