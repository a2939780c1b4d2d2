import { ledgerDiscrepancy } from '../src/db/queries/wallet-queries';
import type { Evidence } from './invariants';
import { section, type Row } from './report';

/**
 * §8 "Nothing charged twice", for the wallet and the numbers: every organisation's ledger sums to its
 * balance (the product's own check, `ledgerDiscrepancy`); a purchase answered 201 is credited exactly once
 * under its Idempotency-Key; a number bought ends live and charged once, or failed — never stuck pending.
 */
export async function walletRows({ database, operators }: Evidence): Promise<Row[]> {
  const orgs = await database.sql<{ org_id: string }[]>`select org_id::text from wallets`;
  const drift: string[] = [];
  for (const { org_id } of orgs) {
    const diff = await ledgerDiscrepancy(database.db, org_id);
    if (diff !== 0) drift.push(`${org_id}: balance − ledger = ${diff} credits`);
  }
  const acked = operators.purchases.filter((p) => p.status === 201);
  const notOnce: string[] = [];
  for (const p of acked) {
    const key = `purchase:${p.orgId}:${p.key}`;
    const [row] = await database.sql<{ n: number }[]>`
      select count(*)::int as n from ledger_entries where kind = 'purchase' and idempotency_key = ${key}`;
    if (row!.n !== 1) notOnce.push(`${key}: ${row!.n} ledger entries`);
  }
  const numbers = await database.sql<{ e164: string; status: string; charges: number }[]>`
    select n.e164, n.status, (select count(*)::int from payments p where p.purpose = 'subscription'
      and p.status = 'succeeded' and p.idempotency_key like 'subscription:' || n.id::text || ':1:%') as charges
    from phone_numbers n where n.e164 = any(${operators.numbers.map((x) => x.e164)})`;
  const s = section('Wallet and numbers');
  s.zero('organisations whose ledger does not sum to the balance', drift);
  s.add('points purchases requested (1 point, Idempotency-Key)', operators.purchases.length);
  s.add('… answered 201', acked.length);
  s.zero('purchases answered 201 not credited exactly once', notOnce);
  s.add('numbers bought (POST /v1/whatsapp/numbers)', operators.numbers.length);
  s.add('… active', numbers.filter((n) => n.status === 'active').length);
  s.add('… failed (with the reason, nothing charged)', numbers.filter((n) => n.status === 'failed').length);
  s.zero(
    'numbers still pending after the drain',
    numbers.filter((n) => n.status === 'pending'),
    (n) => n.e164,
  );
  s.zero(
    'first month charged more than once',
    numbers.filter((n) => n.charges > 1),
    (n) => n.e164,
  );
  s.zero(
    'active without its first month charged',
    numbers.filter((n) => n.status === 'active' && !n.charges),
    (n) => n.e164,
  );
  return s.rows;
}
