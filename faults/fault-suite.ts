import { Client, Connection } from '@temporalio/client';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGoTool, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL } from '../dev/go-tools';
import { startProductionStack, type ProductionStack, type StackProcess } from '../dev/stack/production-stack';
import { openDatabase } from '../src/db/database';
import { createLogger } from '../src/logger';
import { repairConversations } from '../worker/conversation-repair';
import { HttpObserver } from './api-client';
import { Customers } from './customers';
import { createDesk } from './desks';
import { drain, drainRows, liveVsRunning } from './drain';
import { httpRows, temporalRows } from './evidence';
import { faultPlan, type FaultName } from './fault-plan';
import { inboundRows, replyRows } from './invariants';
import { walletRows } from './wallet-invariants';
import { Operators } from './operators';
import { Supervisor } from './supervisor';
import { failures, section, type Row } from './report';

export interface FaultOptions {
  /** Each Twilio outage (429, 503, no answer) lasts this long. */
  faultSeconds: number;
  /** Steady load before the first fault, and after each one before the next. */
  warmupSeconds: number;
  recoverySeconds: number;
  /** The longest the drain waits for the replies and the chats to settle. */
  drainSeconds: number;
  only?: FaultName;
  /** Customer messages per second, over all desks. */
  rate: number;
  desks: number;
  customersPerDesk: number;
  /** An operator closes an answered chat after a random time in this range (so new chats keep coming). */
  closeAfterSeconds: [number, number];
  /** Keep the stack's data and logs (they are always kept when a must-be-zero count is not 0). */
  keep: boolean;
}

export interface FaultRun {
  rows: Row[];
  failed: Row[];
  /** Where the stack's logs are, when kept. */
  logDir?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string) => console.error(`[faults] ${line}`);

/** The real Temporal server is built by `npm run tools` (CI does it): without it there is nothing to fault. */
function requireTemporalServer(): void {
  for (const tool of [TEMPORAL_SERVER, TEMPORAL_SQL_TOOL]) {
    if (!findGoTool(tool)) {
      throw new Error(`${tool.name} ${tool.version} is not built: run \`npm run tools\` (or set ${tool.pathVariable})`);
    }
  }
}

/**
 * The fault suite: the production topology under a steady load of customers and operators, each fault in
 * turn followed by a recovery period, then a drain, then the counts (README, "Fault suite").
 */
export async function runFaultSuite(opts: FaultOptions): Promise<FaultRun> {
  requireTemporalServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-faults-'));
  // As root, PostgreSQL runs as the postgres user, who must reach its directory.
  chmodSync(dataDir, 0o755);
  let stack: ProductionStack | undefined;
  const observer = new HttpObserver(() => {
    const urls = stack ? [stack.apiUrl, ...stack.apis.map((a) => a.url)] : [];
    return new Set(urls.map((u) => new URL(u).port));
  });
  observer.install();
  const tag = Date.now().toString(36).slice(-6);
  let run: FaultRun | undefined;
  // The load and the supervisor stop before the stack does (else the supervisor would restart what stops).
  const cleanup: (() => Promise<void>)[] = [];
  try {
    say(`starting the production topology in ${dataDir}`);
    // Not `ephemeral`: that turns synchronous_commit off, and an immediate shutdown would then lose commits
    // PostgreSQL had acknowledged — a fault of the test set-up, not of Switchboard. Production settings here.
    stack = await startProductionStack({ dataDir, env: { LOG_LEVEL: 'warn' }, log: say });
    const { apiUrl, emulator } = stack;
    const temporal = new Client({ connection: await Connection.connect({ address: stack.temporal.address }) });
    const database = openDatabase(stack.databaseUrl, { max: 4 });
    try {
      const taken = new Set<string>();
      const desks = [];
      for (let d = 0; d < opts.desks; d++) desks.push(await createDesk(apiUrl, emulator, stack.secrets, d + 1, taken));
      say(`${desks.length} desks live; customers write to ${desks[0]!.inboundUrl} (the numbers' configured URL)`);

      const customers = new Customers(emulator, desks, {
        rate: opts.rate,
        customersPerDesk: opts.customersPerDesk,
        tag,
        maxInFlight: Math.ceil(opts.rate * 30),
      });
      const operators = new Operators(
        apiUrl,
        desks,
        {
          tag,
          pollMs: 1000,
          closeAfterMs: [opts.closeAfterSeconds[0] * 1000, opts.closeAfterSeconds[1] * 1000],
          retryForMs: 120_000,
        },
        taken,
      );
      const supervisor = new Supervisor(stack);
      cleanup.push(
        () => supervisor.stop(),
        () => customers.stop(),
        () => operators.stop(),
      );
      const started = Date.now();
      customers.start();
      operators.start();
      supervisor.start();
      const faults = section('Faults, in turn (each followed by the recovery period); how long each lasted');
      const phase = async (
        name: string,
        what: string,
        inject: () => Promise<unknown>,
        i: number,
        target?: StackProcess,
      ) => {
        customers.phase = operators.phase = supervisor.phase = name;
        supervisor.faulting = target;
        operators.buyPoints(i, name);
        operators.buyNumber(i);
        const at = Date.now();
        say(`${name}: ${what}`);
        await inject();
        supervisor.faulting = undefined;
        faults.add(`${name}: ${what}`, `${Math.round((Date.now() - at) / 1000)} s`);
        await sleep(opts.recoverySeconds * 1000);
      };
      await phase('warm-up', 'steady load, no fault', () => sleep(opts.warmupSeconds * 1000), 0);
      const plan = faultPlan(stack, opts.faultSeconds * 1000).filter((f) => !opts.only || f.name === opts.only);
      for (const [i, fault] of plan.entries()) await phase(fault.name, fault.what, fault.run, i + 1, fault.target);

      say('stopping the load; waiting for every call in flight');
      await Promise.all([customers.stop(), operators.stop()]);
      const stopped = Date.now();
      say(`draining (at most ${opts.drainSeconds} s)`);
      const drained = await drain(database.sql, temporal, opts.drainSeconds * 1000);
      // What the workers' minute-by-minute sweep does, once more: anything it restarts is counted.
      const deps = { db: database.db, temporal, taskQueue: stack.taskQueue, logger: createLogger('warn', 'faults') };
      const repaired = await repairConversations(deps);
      const settled = repaired.length ? await drain(database.sql, temporal, 60_000) : drained;
      const pairs = await liveVsRunning(database.sql, temporal);
      await supervisor.stop();

      const evidence = { database, emulator, customers, operators, tag };
      const load = section('Load');
      load.add('desks (organisations, each with an operator and a number it bought)', desks.length);
      load.add('customers', desks.length * opts.customersPerDesk);
      load.add('customer messages (asked rate)', `${customers.deliveries.length} (${opts.rate}/s)`);
      load.add('operator replies', operators.replies.length);
      load.add('load duration', `${Math.round((stopped - started) / 1000)} s`);
      const rows: Row[] = [
        ...load.rows,
        ...faults.rows,
        ...drainRows(drained, settled, opts.drainSeconds),
        ...supervisor.rows(),
        ...(await inboundRows(evidence)),
        ...(await replyRows(evidence)),
        ...(await walletRows(evidence)),
        ...(await temporalRows(evidence, pairs, repaired, stack.logDir)),
        ...httpRows(observer, stack.logDir),
      ];
      run = { rows, failed: failures(rows), logDir: stack.logDir };
      return run;
    } finally {
      await database.close();
      await temporal.connection.close();
    }
  } finally {
    for (const stop of cleanup) await stop();
    observer.uninstall();
    await stack?.stop();
    if (run && !run.failed.length && !opts.keep) rmSync(dataDir, { recursive: true, force: true });
    else say(`kept the stack's data and logs in ${dataDir}`);
  }
}
