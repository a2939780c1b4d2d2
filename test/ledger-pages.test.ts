import { describe, expect, it } from 'vitest';
import { createDesk } from './helpers/fixtures';
import { useFixture, useHarness } from './helpers/use-harness';

const h = useHarness();
const desk = useFixture(() => createDesk(h, { points: 1 }));

describe('the ledger, page by page', () => {
  // Entries written in one transaction share a time to the microsecond; a cursor of the time alone skipped them.
  it('returns every entry exactly once, following nextBefore, when entries share a timestamp', async () => {
    await h.database.sql.begin(async (tx) => {
      for (let i = 0; i < 5; i++) {
        await tx`insert into ledger_entries (org_id, kind, credits, balance_after, idempotency_key)
                 values (${desk.orgId}, 'purchase', 0, 400, ${`same-instant-${i}-${desk.orgId}`})`;
      }
    });
    const all = await h.request('GET', '/v1/wallet?limit=200', { key: desk.adminKey });
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const query: string = before ? `&before=${encodeURIComponent(before)}` : '';
      const page = await h.request('GET', `/v1/wallet?limit=2${query}`, { key: desk.adminKey });
      expect(page.status).toBe(200);
      seen.push(...page.body.ledger.map((e: any) => e.id));
      before = page.body.nextBefore;
    } while (before);
    expect(seen).toEqual(all.body.ledger.map((e: any) => e.id));
    expect(new Set(seen).size).toBe(all.body.ledger.length);
    expect(all.body.ledger.length).toBe(6); // the desk's first purchase, and the five above
  });

  it('still takes a plain ISO time as `before`, and refuses anything else with 400', async () => {
    const future = await h.request('GET', '/v1/wallet?before=2999-01-01T00:00:00Z', { key: desk.adminKey });
    expect([future.status, future.body.ledger.length > 0]).toEqual([200, true]);
    const bad = await h.request('GET', '/v1/wallet?before=yesterday', { key: desk.adminKey });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
  });
});
