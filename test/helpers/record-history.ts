import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTemporalCli } from '../../dev/temporal-cli';

export const HISTORIES_DIR = join(__dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=1, saves a finished workflow's history (in the CLI's canonical JSON) for the
 * replay test. Re-record only on purpose: the committed histories stand for workflows already running.
 */
export function recordHistoryIfAsked(temporalAddress: string, workflowId: string, name: string, runId?: string): void {
  if (!process.env.RECORD_HISTORIES) return;
  const cli = findTemporalCli();
  if (!cli) throw new Error('recording histories needs the temporal CLI');
  const json = execFileSync(cli, [
    'workflow',
    'show',
    '--address',
    temporalAddress,
    '--workflow-id',
    workflowId,
    ...(runId ? ['--run-id', runId] : []),
    '--output',
    'json',
  ]);
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), json);
}
