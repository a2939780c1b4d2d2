import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../database';
import { CREDITS_PER_POINT } from '../../domain/money';
import { ledgerEntries, wallets, LEDGER_KINDS } from '../schema';
import { emit } from './event-queries';
import { keyset, pageOf, type PageRequest } from './keyset-pages';

export type LedgerKind = (typeof LEDGER_KINDS)[number];
export type Wallet = typeof wallets.$inferSelect;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;

export interface Posting {
  orgId: string;
  kind: LedgerKind;
  /** Positive credits in, negative out. */
  credits: number;
  idempotencyKey: string;
  reference?: string;
}

export type PostingResult =
  | { ok: true; entryId: string; balanceCredits: number; belowRefillThreshold: boolean; duplicate: boolean }
  | { ok: false; reason: 'insufficient_credits'; balanceCredits: number };

export async function walletOf(tx: Tx, orgId: string): Promise<Wallet> {
  await tx.insert(wallets).values({ orgId }).onConflictDoNothing();
  const [wallet] = await tx.select().from(wallets).where(eq(wallets.orgId, orgId));
  return wallet!;
}

/**
 * Posts one ledger entry and moves the balance with it, in one statement: the wallet row is locked
 * only from that statement to the commit, so concurrent debits queue briefly and can never both
 * spend the last credit (the balance check is in the UPDATE itself). The entry's unique key makes
 * a retried posting return the first one; two racing postings of one key cannot both land (the
 * second fails on the unique index and its balance change is undone with it).
 */
export async function post(tx: Tx, posting: Posting): Promise<PostingResult> {
  const [existing] = await tx
    .select()
    .from(ledgerEntries)
    .where(eq(ledgerEntries.idempotencyKey, posting.idempotencyKey));
  if (existing) {
    const wallet = await walletOf(tx, posting.orgId);
    return {
      ok: true,
      entryId: existing.id,
      balanceCredits: wallet.balanceCredits,
      belowRefillThreshold: isBelowThreshold(wallet),
      duplicate: true,
    };
  }
  const [moved] = await tx.execute<{ entry_id: string; balance: string; below: boolean; threshold: string }>(sql`
    with moved as (
      update wallets set balance_credits = balance_credits + ${posting.credits}, updated_at = now()
      where org_id = ${posting.orgId} and balance_credits + ${posting.credits} >= 0
      returning balance_credits, auto_refill_enabled and balance_credits < threshold_points * ${CREDITS_PER_POINT} as below,
        threshold_points * ${CREDITS_PER_POINT} as threshold
    ), entry as (
      insert into ledger_entries (org_id, kind, credits, balance_after, idempotency_key, reference)
      select ${posting.orgId}, ${posting.kind}, ${posting.credits}, moved.balance_credits, ${posting.idempotencyKey}, ${posting.reference ?? null}
      from moved
      returning id, balance_after
    )
    select entry.id as entry_id, entry.balance_after as balance, moved.below, moved.threshold from entry, moved`);
  if (moved) {
    const [balance, threshold] = [Number(moved.balance), Number(moved.threshold)];
    // Told once, as the balance crosses the threshold downwards, not at every message below it.
    if (balance < threshold && balance - posting.credits >= threshold)
      await emit(tx, posting.orgId, 'wallet.low', { balanceCredits: balance, thresholdCredits: threshold });
    return {
      ok: true,
      entryId: moved.entry_id,
      balanceCredits: Number(moved.balance),
      belowRefillThreshold: moved.below,
      duplicate: false,
    };
  }
  // Either too little credit, or the organisation had no wallet row yet (walletOf creates it).
  const wallet = await walletOf(tx, posting.orgId);
  if (wallet.balanceCredits + posting.credits < 0)
    return { ok: false, reason: 'insufficient_credits', balanceCredits: wallet.balanceCredits };
  return post(tx, posting);
}

/** Newest first. */
export async function ledgerPage(db: Db, orgId: string, page: PageRequest) {
  const { past, orderBy, cursorFields } = keyset(
    ledgerEntries.createdAt,
    ledgerEntries.id,
    'newest_first',
    page.cursor,
  );
  const rows = await db
    .select({ entry: ledgerEntries, ...cursorFields })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.orgId, orgId), past))
    .orderBy(...orderBy)
    .limit(page.limit + 1);
  const { items, nextCursor } = pageOf(rows, page.limit);
  return { items: items.map((r) => r.entry), nextCursor };
}

/** The check the tests run: the balance is the sum of the ledger. */
export async function ledgerDiscrepancy(tx: Tx, orgId: string): Promise<number> {
  const [row] = await tx.execute<{ diff: string }>(sql`
    select w.balance_credits - coalesce((select sum(credits) from ledger_entries l where l.org_id = w.org_id), 0) as diff
    from wallets w where w.org_id = ${orgId}`);
  return Number(row?.diff ?? 0);
}

export function isBelowThreshold(wallet: Wallet): boolean {
  return wallet.autoRefillEnabled && wallet.balanceCredits < wallet.thresholdPoints * CREDITS_PER_POINT;
}
