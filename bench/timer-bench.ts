import { WorkflowIdReusePolicy } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import {
  conversationWorkflowType,
  inboundSignal,
  type ConversationWorkflow,
  type InboundNotice,
} from '../src/contracts/conversation-contract';
import type { BenchStack } from './bench-stack';
import { percentile } from './stats';

export interface TimerRun {
  conversations: number;
  startSeconds: number;
  lateP50: number;
  lateP99: number;
  lateMax: number;
  rssMiB: number;
}

/**
 * `count` unattended conversations whose auto-close timers all come due at one instant: how late
 * (ms after the due time) each close lands in Postgres, and the workflow processes' memory while they wait.
 */
export async function timerScenario(
  h: BenchStack,
  orgId: string,
  departmentId: string,
  count: number,
  leadSeconds: number,
): Promise<TimerRun> {
  const batch = randomUUID().slice(0, 8);
  const rows = await h.database.sql<{ id: string; workflow_id: string }[]>`
    insert into conversations (org_id, channel, customer_address, seq, workflow_id, department_id, status, last_inbound_at)
    select ${orgId}, 'web', 'bench:' || ${batch} || ':' || g, 1, 'conversation:bench:' || ${batch} || ':' || g, ${departmentId}, 'waiting', now()
    from generate_series(1, ${count}) g
    returning id, workflow_id`;
  const firstInboundAt = new Date();
  const dueAt = firstInboundAt.getTime() + leadSeconds * 1000;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        await h.temporal.workflow.signalWithStart<ConversationWorkflow, [InboundNotice]>(conversationWorkflowType, {
          workflowId: row.workflow_id,
          taskQueue: h.taskQueue,
          args: [
            {
              conversationId: row.id,
              orgId,
              numberId: null,
              channel: 'web',
              policy: { unattendedSeconds: leadSeconds, idleSeconds: 3600, closingNotice: null },
            },
          ],
          signal: inboundSignal,
          signalArgs: [{ messageId: row.id, receivedAt: firstInboundAt.toISOString() }],
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        });
      }
    }),
  );
  const startSeconds = (performance.now() - started) / 1000;
  let rss = h.workflowMemory();
  const ids = rows.map((r) => r.id);
  for (;;) {
    rss = Math.max(rss, h.workflowMemory());
    const [open] = await h.database
      .sql`select count(*)::int as n from conversations where id = any(${ids}) and status <> 'closed'`;
    if (open?.n === 0) break;
    if (Date.now() > dueAt + 10 * 60_000)
      throw new Error(`${String(open?.n)} timers still open 10 minutes after their due time`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const closed = await h.database.sql<{ late: number }[]>`
    select extract(epoch from closed_at) * 1000 - ${dueAt} as late from conversations where id = any(${ids})`;
  const late = closed.map((r) => Number(r.late)).sort((a, b) => a - b);
  return {
    conversations: count,
    startSeconds,
    lateP50: percentile(late, 50),
    lateP99: percentile(late, 99),
    lateMax: late.at(-1) ?? NaN,
    rssMiB: rss / 2 ** 20,
  };
}

export function timerReport(big: TimerRun, baseline: TimerRun, memoryLabel: string): string[] {
  const line = (r: TimerRun) =>
    `${String(r.conversations).padStart(6)} timers: started in ${r.startSeconds.toFixed(1)} s; closed late by p50 ${r.lateP50.toFixed(0)} ms, p99 ${r.lateP99.toFixed(0)} ms, max ${r.lateMax.toFixed(0)} ms; peak RSS ${r.rssMiB.toFixed(0)} MiB`;
  return [
    `(peak RSS: ${memoryLabel})`,
    line(baseline),
    line(big),
    `p99 lateness ratio (${big.conversations} vs ${baseline.conversations} due together): ${(big.lateP99 / Math.max(1, baseline.lateP99)).toFixed(1)}`,
  ];
}
