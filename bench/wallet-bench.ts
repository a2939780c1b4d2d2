import { createMessageActivities } from '../activities/message-activities';
import { post } from '../src/db/queries/wallet-queries';
import type { BenchStack } from './bench-stack';
import { measure, type RunStats } from './stats';

/**
 * Debits under contention on one organisation, through the code the reply path runs (message row
 * and ledger debit in one transaction, wallet row locked), against the raw ceiling of the same
 * number of single-row balance updates on the same row.
 */
export async function walletScenario(
  h: BenchStack,
  orgId: string,
  conversationId: string,
  debits: number,
  concurrency: number,
) {
  const balance = async () =>
    (await h.database.sql`select balance_credits::int as b from wallets where org_id = ${orgId}`)[0]?.b as number;
  const before = await balance();
  await h.database.db.transaction((tx) =>
    post(tx, { orgId, kind: 'adjustment', credits: debits, idempotencyKey: `bench-grant:${orgId}` }),
  );
  const activities = createMessageActivities({ db: h.database.db });
  const run = `${Date.now()}`;
  const debit = await measure(debits, concurrency, async (i) => {
    const result = await activities.prepareOutbound({
      conversationId,
      requestId: `bench:${run}:${i}`,
      operatorId: null,
      body: `debit ${i}`,
    });
    return result.outcome === 'ready';
  });
  const ceiling = await measure(debits, concurrency, async () => {
    await h.database.sql`update wallets set balance_credits = balance_credits + 0 where org_id = ${orgId}`;
    return true;
  });
  return { debit, ceiling, balanceDrift: (await balance()) - before };
}

export function walletReport(
  r: { debit: RunStats; ceiling: RunStats; balanceDrift: number },
  row: (name: string, s: RunStats) => string,
): string[] {
  return [
    row('wallet debit (message + ledger, locked)', r.debit),
    row('ceiling: single-row update, same row', r.ceiling),
    `debit / ceiling throughput ratio: ${(r.debit.perSecond / r.ceiling.perSecond).toFixed(3)}`,
    `credits granted minus credits debited, as the balance saw it: ${r.balanceDrift} (must be 0)`,
  ];
}
