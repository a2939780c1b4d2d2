import { parseArgs } from 'node:util';
import { FAULT_NAMES, type FaultName } from './fault-plan';
import { runFaultSuite, type FaultOptions } from './fault-suite';
import { table } from './report';

// npm run faults [-- --short] [--fault-seconds 180] [--only <fault>] [--recovery-seconds 30] [--warmup-seconds 30]
//                   [--drain-seconds 300] [--rate 5] [--desks 3] [--customers 30] [--keep]
// Starts the production topology (dev/stack) on free ports with its data in a temporary directory, runs
// steady load through every fault in turn, drains, counts, prints the table, and exits 1 if a count that
// must be zero is not.

/** The full run's figures; `--short` (CI, test/faults.test.ts) shortens every period, not the checks. */
const FULL = { faultSeconds: 180, warmupSeconds: 30, recoverySeconds: 30, drainSeconds: 300, rate: 5, customers: 30 };
const SHORT = { faultSeconds: 15, warmupSeconds: 5, recoverySeconds: 5, drainSeconds: 150, rate: 5, customers: 30 };
/**
 * How long an operator keeps an answered chat before closing it: a customer writes every ~18 s (90 of them
 * at 5/s), so chats last a few messages and about one new chat (each answered once) starts every second.
 */
const CLOSE_AFTER = { full: [30, 90], short: [30, 60] } as const;

export function parseFaultOptions(argv: string[]): FaultOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      short: { type: 'boolean', default: false },
      'fault-seconds': { type: 'string' },
      'warmup-seconds': { type: 'string' },
      'recovery-seconds': { type: 'string' },
      'drain-seconds': { type: 'string' },
      only: { type: 'string' },
      rate: { type: 'string' },
      desks: { type: 'string', default: '3' },
      customers: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const base = values.short ? SHORT : FULL;
  const number = (name: keyof typeof values, fallback: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not ${String(raw)}`);
    return n;
  };
  if (values.only && !FAULT_NAMES.includes(values.only as FaultName)) {
    throw new Error(`--only must be one of ${FAULT_NAMES.join(', ')}; not ${values.only}`);
  }
  const customersPerDesk = number('customers', base.customers);
  // One operator per desk takes at most 100 chats; more customers than that would wait in the queue.
  if (customersPerDesk > 100) throw new Error('--customers is per desk, at most 100 (one operator takes 100 chats)');
  return {
    faultSeconds: number('fault-seconds', base.faultSeconds),
    warmupSeconds: number('warmup-seconds', base.warmupSeconds),
    recoverySeconds: number('recovery-seconds', base.recoverySeconds),
    drainSeconds: number('drain-seconds', base.drainSeconds),
    only: values.only as FaultName | undefined,
    rate: number('rate', base.rate),
    desks: number('desks', 3),
    customersPerDesk,
    closeAfterSeconds: [...(values.short ? CLOSE_AFTER.short : CLOSE_AFTER.full)],
    keep: values.keep,
  };
}

export function title(opts: FaultOptions): string {
  const which = opts.only ?? 'every fault';
  return `Fault suite: ${which}; Twilio outages ${opts.faultSeconds} s, recovery ${opts.recoverySeconds} s, ${opts.rate} customer messages/s to ${opts.desks} desks`;
}

async function main(): Promise<void> {
  const opts = parseFaultOptions(process.argv.slice(2));
  const run = await runFaultSuite(opts);
  console.log(table(title(opts), run.rows));
  if (run.failed.length) {
    console.log(`\nThe stack's logs: ${run.logDir}`);
    process.exitCode = 1;
  }
}

// Run by `npm run faults`; imported by test/faults.test.ts for its options and title.
if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
