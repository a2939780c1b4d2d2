import { describe, expect, it } from 'vitest';
import { runFaultSuite } from '../faults/fault-suite';
import { table } from '../faults/report';
import { parseFaultOptions, title } from '../faults/run-faults';

// `npm run faults -- --short`: the production topology (real Temporal server on PostgreSQL, two api and two
// worker processes) under steady customer and operator load through every fault of faults/fault-plan.ts.
// Every count it checks is a count, never a duration: the run waits for convergence, each wait bounded.
describe('the fault suite, short (npm run faults -- --short)', () => {
  it('loses, strands, double-sends and double-charges nothing and answers no 500 through every fault', async () => {
    const opts = parseFaultOptions(['--short']);
    const run = await runFaultSuite(opts);
    console.log(table(title(opts), run.rows));
    const figure = (name: string) => run.rows.find((r) => r.name === name)?.value;

    // It did put load through: customers were acknowledged and operators' replies accepted.
    expect(figure('acknowledged (final 2xx)')).toBeGreaterThan(0);
    expect(figure('accepted (201)')).toBeGreaterThan(0);
    // And every count that must be zero is, named with its first examples when not.
    const failed = run.failed.map((r) => ({
      [`${r.section} / ${r.name}`]: r.value,
      examples: r.examples?.slice(0, 5),
    }));
    expect(failed, `the stack's logs are kept in ${run.logDir}`).toEqual([]);
  }, 480_000);
});
