import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpObserver } from './api-client';
import type { LiveVsRunning } from './drain';
import type { Evidence } from './invariants';
import { answered } from './invariants';
import { section, type Row } from './report';

/** Lines of the stack's logs (`<logDir>/<prefix>*.log`) that contain `text`. */
export function logLines(logDir: string, prefix: string, text: string): string[] {
  return readdirSync(logDir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.log'))
    .flatMap((f) =>
      readFileSync(join(logDir, f), 'utf8')
        .split('\n')
        .filter((l) => l.includes(text))
        .map((l) => `${f}: ${l.slice(0, 400)}`),
    );
}

/**
 * §8 "Clear answers under faults": an outage is a 503 with Retry-After, never a 500 — to a client or to
 * Twilio. Every answer any client got is counted at `fetch` (api-client's HttpObserver), Twilio's retried
 * attempts included; the api logs say what each 500 was.
 */
export function httpRows(observer: HttpObserver, logDir: string): Row[] {
  const s = section('HTTP answers seen by clients (every attempt; webhooks and status callbacks included)');
  for (const kind of ['inbound webhook', 'status callback', 'api'] as const) {
    const statuses = [...observer.answers.keys()]
      .filter((k) => k.startsWith(`${kind} `))
      .map((k) => Number(k.slice(kind.length + 1)))
      .sort((a, b) => a - b);
    const summary = statuses.map((st) => `${st || 'none'}×${observer.count(kind, st)}`).join(' ');
    s.add(
      `${kind}: ${summary || '-'}`,
      statuses.reduce((n, st) => n + observer.count(kind, st), 0),
    );
  }
  s.add('503 temporarily_unavailable (with Retry-After)', observer.total(503));
  s.add('502 (the load balancer, as an api died mid-request)', observer.total(502));
  const at = (e: HttpObserver['serverErrors'][number]) => `${e.at} ${e.kind} ${e.method} ${e.path} → ${e.status}`;
  s.zero(
    'HTTP 500',
    observer.serverErrors.filter((e) => e.status === 500),
    at,
  );
  s.zero(
    'other 5xx (not 502, 503)',
    observer.serverErrors.filter((e) => e.status !== 500),
    at,
  );
  s.zero('"unhandled error" lines in the api logs', logLines(logDir, 'api-', 'unhandled error'));
  return s.rows;
}

/**
 * Every live chat has its running workflow and every running chat workflow its live row. A workflow left
 * running by a closed row is shown with the row and what the operator's close was answered, to find it.
 */
export async function temporalRows(
  { database, operators }: Evidence,
  pairs: LiveVsRunning,
  repaired: string[],
  logDir: string,
): Promise<Row[]> {
  const orphans = pairs.workflowsWithoutRow;
  const rows = await database.sql<{ id: string; workflow_id: string; status: string; closed_at: string | null }[]>`
    select id::text, workflow_id, status, closed_at::text from conversations where workflow_id = any(${orphans})`;
  const explain = (workflowId: string) => {
    const row = rows.find((r) => r.workflow_id === workflowId);
    const close = row && operators.closes.find((c) => c.conversationId === row.id);
    const closed = row ? `row ${row.id} ${row.status} at ${row.closed_at ?? '-'}` : 'no row';
    return `${workflowId}: ${closed}; the operator's close answered ${close ? answered(close) : '(none sent)'}`;
  };
  const s = section("Conversations vs Temporal (WorkflowType='conversationWorkflow' AND ExecutionStatus='Running')");
  s.add(
    "restarted by the workers' repair sweep during the run (log lines)",
    logLines(logDir, 'worker-', 'restarted conversations that had no workflow').length,
  );
  s.add('restarted by one repairConversations() before counting', repaired.length);
  s.zero('open/waiting rows without a running workflow', pairs.rowsWithoutWorkflow);
  s.zero('running conversation workflows without a live row', orphans, explain);
  return s.rows;
}
