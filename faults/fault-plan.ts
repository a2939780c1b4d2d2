import { readdirSync, readFileSync } from 'node:fs';
import type { ProductionStack, StackProcess } from '../dev/stack/production-stack';

/** The faults, in the order a run injects them; `--only <name>` runs one. */
export const FAULT_NAMES = [
  'worker-kill',
  'api-kill',
  'temporal-restart',
  'postgres-immediate',
  'temporal-pause',
  'postgres-pause',
  'twilio-429',
  'twilio-503',
  'twilio-timeout',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

export interface Fault {
  name: FaultName;
  what: string;
  /** The process this fault kills and starts again itself (so a supervisor leaves it alone meanwhile). */
  target?: StackProcess;
  /** Injects the fault and resolves once it is over (the process is back, the outage ended). */
  run: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The brief's pauses: long enough for every client and Twilio attempt to time out at least once. */
const PAUSE_MS = 10_000;
/** "Every send fails" for as long as the outage lasts; cleared when it ends. */
const ALWAYS = 1_000_000_000;

/** A crash: SIGKILL, no chance to finish anything, then the same process started again (it waits until ready). */
async function crash(p: StackProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  p.kill(signal);
  await p.exited();
  await p.restart();
}

/**
 * PostgreSQL's processes: the postmaster and its children (one backend per connection, plus its own
 * helpers). Stopping only the postmaster would leave the backends serving open connections, which is not
 * a hung database; stopping all of them is.
 */
function postgresProcesses(postmaster: number): number[] {
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // It exited meanwhile: nothing left to stop or resume.
    }
  }
}

/** Every fault of the brief, bound to this stack; `twilioMs` is how long each Twilio outage lasts. */
export function faultPlan(stack: ProductionStack, twilioMs: number): Fault[] {
  const { emulator } = stack;
  const outage = async (start: () => void) => {
    start();
    await sleep(twilioMs);
    emulator.clearFailures();
  };
  const faults: Record<FaultName, Omit<Fault, 'name'>> = {
    'worker-kill': {
      what: 'SIGKILL worker-1, start it again',
      target: stack.workers[0],
      run: () => crash(stack.workers[0]!),
    },
    'api-kill': { what: 'SIGKILL api-1, start it again', target: stack.apis[0], run: () => crash(stack.apis[0]!) },
    'temporal-restart': {
      what: 'SIGKILL the Temporal server, start it again',
      target: stack.temporal,
      run: () => crash(stack.temporal),
    },
    'postgres-immediate': {
      what: 'PostgreSQL immediate shutdown (SIGQUIT to the postmaster), start it again',
      target: stack.postgres,
      run: () => crash(stack.postgres, 'SIGQUIT'),
    },
    'temporal-pause': {
      what: `SIGSTOP the Temporal server for ${PAUSE_MS / 1000} s, then SIGCONT`,
      run: async () => {
        stack.temporal.kill('SIGSTOP');
        await sleep(PAUSE_MS);
        stack.temporal.kill('SIGCONT');
      },
    },
    'postgres-pause': {
      what: `SIGSTOP PostgreSQL (postmaster and backends) for ${PAUSE_MS / 1000} s, then SIGCONT`,
      run: async () => {
        const postmaster = stack.postgres.pid;
        if (!postmaster) throw new Error('PostgreSQL is not running');
        const pids = postgresProcesses(postmaster);
        signalAll(pids, 'SIGSTOP');
        await sleep(PAUSE_MS);
        signalAll(pids, 'SIGCONT');
      },
    },
    'twilio-429': {
      what: `Twilio's Messages API answers 429 for ${twilioMs / 1000} s`,
      run: () => outage(() => emulator.failNextSend({ status: 429, code: 20429, times: ALWAYS })),
    },
    'twilio-503': {
      what: `Twilio's Messages API answers 503 for ${twilioMs / 1000} s`,
      run: () => outage(() => emulator.failNextSend({ status: 503, code: 20503, times: ALWAYS })),
    },
    'twilio-timeout': {
      what: `Twilio takes each message but answers none for ${twilioMs / 1000} s (holdSends)`,
      run: async () => {
        const release = emulator.holdSends();
        await sleep(twilioMs);
        release();
      },
    },
  };
  return FAULT_NAMES.map((name) => ({ name, ...faults[name] }));
}
