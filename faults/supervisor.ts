import { existsSync, readFileSync } from 'node:fs';
import type { ProductionStack, StackProcess } from '../dev/stack/production-stack';
import { section, type Row } from './report';

export interface Death {
  name: string;
  phase: string;
  at: string;
  /** The last error line of its log: why it died. */
  why: string;
}

/** The last line of a process's log that names an error (a crash's stack trace starts with one). */
function lastError(logFile: string | undefined): string {
  if (!logFile || !existsSync(logFile)) return '(no log)';
  const lines = readFileSync(logFile, 'utf8').split('\n');
  const error = lines.reverse().find((l) => /^\w*Error\b/.test(l.trim()));
  return error?.trim().slice(0, 200) ?? '(no error line)';
}

/**
 * What docker-compose's `restart: unless-stopped` does for the replicas in production: a process that
 * exits without the suite killing it is started again, so the run goes on with the whole topology. But a
 * process that dies on its own is a crash, a bug the run must report, so each death is recorded.
 */
export class Supervisor {
  readonly deaths: Death[] = [];
  /** The process the current fault kills and restarts itself: not a death. */
  faulting: StackProcess | undefined;
  phase = 'warm-up';
  private readonly restarting = new Set<StackProcess>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stack: ProductionStack) {}

  private get processes(): StackProcess[] {
    const { apis, workers, temporal, postgres } = this.stack;
    return [...apis, ...workers, temporal, postgres];
  }

  start(): void {
    this.timer = setInterval(() => {
      for (const p of this.processes) {
        if (p.running || p === this.faulting || this.restarting.has(p)) continue;
        this.deaths.push({ name: p.name, phase: this.phase, at: new Date().toISOString(), why: lastError(p.logFile) });
        console.error(`[faults] ${p.name} died on its own during ${this.phase}; starting it again`);
        this.restarting.add(p);
        void p
          .restart()
          .catch((err: Error) => console.error(`[faults] could not restart ${p.name}: ${err.message}`))
          .finally(() => this.restarting.delete(p));
      }
    }, 1000);
  }

  /** A replica or server that exits unasked has crashed: each is a must-be-zero count, with why it died. */
  rows(): Row[] {
    const s = section('Processes (each fault kills and restarts only its own)');
    s.zero(
      'processes that died on their own (restarted, as a supervisor would)',
      this.deaths,
      (d) => `${d.name} during ${d.phase} at ${d.at}: ${d.why}`,
    );
    return s.rows;
  }

  /** Stops watching, once any restart under way has finished (the stack is then stopped). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.restarting.size) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
