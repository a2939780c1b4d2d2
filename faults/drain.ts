import type { Client } from '@temporalio/client';
import type postgres from 'postgres';
import { conversationWorkflowType } from '../src/contracts/conversation-contract';
import { isRunning } from '../worker/conversation-repair';
import { section, type Row } from './report';

export interface LiveVsRunning {
  /** Open or waiting rows whose workflow is not running. */
  rowsWithoutWorkflow: string[];
  /** Running conversation workflows whose row is closed or missing. */
  workflowsWithoutRow: string[];
}

export interface DrainResult {
  seconds: number;
  /** Everything settled before the deadline; otherwise the counts show what did not. */
  settled: boolean;
  pending: number;
  waiting: number;
  /** Numbers still being bought (status `pending`). */
  buying: number;
  mismatched: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function running(temporal: Client): Promise<Set<string>> {
  const ids = new Set<string>();
  const query = `WorkflowType = '${conversationWorkflowType}' AND ExecutionStatus = 'Running'`;
  for await (const execution of temporal.workflow.list({ query })) ids.add(execution.workflowId);
  return ids;
}

/**
 * Temporal's list of running conversation workflows against the live rows (README: one open conversation
 * per customer per number, each with its workflow). A difference the list alone shows is confirmed with the
 * workflow's own description before it counts.
 */
export async function liveVsRunning(sql: postgres.Sql, temporal: Client): Promise<LiveVsRunning> {
  const rows = await sql<{ workflow_id: string }[]>`select workflow_id from conversations where status <> 'closed'`;
  const live = new Set(rows.map((r) => r.workflow_id));
  const listed = await running(temporal);
  const rowsWithoutWorkflow: string[] = [];
  const workflowsWithoutRow: string[] = [];
  for (const id of live) if (!listed.has(id) && !(await isRunning(temporal, id))) rowsWithoutWorkflow.push(id);
  for (const id of listed) if (!live.has(id) && (await isRunning(temporal, id))) workflowsWithoutRow.push(id);
  return { rowsWithoutWorkflow, workflowsWithoutRow };
}

/**
 * After the load stops: waits until no reply is `pending` (each was sent, or failed and refunded), no
 * chat waits in a queue (every operator has room), no number is still being bought, and every live row
 * has its running workflow and back
 * — or until the deadline, whichever is first. Convergence only: no figure here depends on timing.
 */
export async function drain(sql: postgres.Sql, temporal: Client, timeoutMs: number): Promise<DrainResult> {
  const started = Date.now();
  for (;;) {
    const [counts] = await sql<{ pending: number; waiting: number; buying: number }[]>`
      select (select count(*)::int from messages where direction = 'outbound' and status = 'pending') as pending,
             (select count(*)::int from conversations where status = 'waiting') as waiting,
             (select count(*)::int from phone_numbers where status = 'pending') as buying`;
    const { pending, waiting, buying } = counts!;
    const pairs = await liveVsRunning(sql, temporal);
    const mismatched = pairs.rowsWithoutWorkflow.length + pairs.workflowsWithoutRow.length;
    const seconds = (Date.now() - started) / 1000;
    const settled = pending === 0 && waiting === 0 && buying === 0 && mismatched === 0;
    if (settled || Date.now() - started > timeoutMs) return { seconds, settled, pending, waiting, buying, mismatched };
    await sleep(2000);
  }
}

/** How the drain went: how long it took of its limit, and whether everything settled (after the repair). */
export function drainRows(drained: DrainResult, settled: DrainResult, limitSeconds: number): Row[] {
  const s = section('Drain (until no reply is pending, no chat waits, no number is being bought, rows = workflows)');
  s.add('drain duration', `${Math.round(drained.seconds)} s of at most ${limitSeconds} s`);
  s.add('settled before the deadline', settled.settled ? 'yes' : 'no');
  s.add('chats still waiting in a queue', settled.waiting);
  return s.rows;
}
