import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../client';
import { ledgerEntries, wallets, LEDGER_KINDS } from '../schema';

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
  | { ok: true; entry: LedgerEntry; wallet: Wallet; duplicate: boolean }
  | { ok: false; reason: 'insufficient_credits'; wallet: Wallet };

export async function walletOf(tx: Tx, orgId: string): Promise<Wallet> {
  await tx.insert(wallets).values({ orgId }).onConflictDoNothing();
  const [wallet] = await tx.select().from(wallets).where(eq(wallets.orgId, orgId));
  return wallet!;
}

/**
 * Posts one ledger entry and moves the balance with it. Call inside a transaction: the wallet row
 * is locked so concurrent debits cannot both spend the last credit, and the entry's unique key
 * makes a retried posting return the first one instead of posting twice.
 */
export async function post(tx: Tx, posting: Posting): Promise<PostingResult> {
  await tx.insert(wallets).values({ orgId: posting.orgId }).onConflictDoNothing();
  const [wallet] = await tx.select().from(wallets).where(eq(wallets.orgId, posting.orgId)).for('update');
  const [existing] = await tx.select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, posting.idempotencyKey));
  if (existing) return { ok: true, entry: existing, wallet: wallet!, duplicate: true };
  const balanceAfter = wallet!.balanceCredits + posting.credits;
  if (balanceAfter < 0) return { ok: false, reason: 'insufficient_credits', wallet: wallet! };
  const [entry] = await tx
    .insert(ledgerEntries)
    .values({ ...posting, balanceAfter })
    .returning();
  const [updated] = await tx
    .update(wallets)
    .set({ balanceCredits: balanceAfter, updatedAt: new Date() })
    .where(eq(wallets.orgId, posting.orgId))
    .returning();
  return { ok: true, entry: entry!, wallet: updated!, duplicate: false };
}

export async function ledgerPage(db: Db, orgId: string, opts: { limit: number; before?: Date }) {
  return db
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.orgId, orgId), opts.before ? lt(ledgerEntries.createdAt, opts.before) : undefined))
    .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
    .limit(opts.limit);
}

/** The check the tests run: the balance is the sum of the ledger. */
export async function ledgerDiscrepancy(tx: Tx, orgId: string): Promise<number> {
  const [row] = await tx.execute<{ diff: string }>(sql`
    select w.balance_credits - coalesce((select sum(credits) from ledger_entries l where l.org_id = w.org_id), 0) as diff
    from wallets w where w.org_id = ${orgId}`);
  return Number(row?.diff ?? 0);
}

export function isBelowThreshold(wallet: Wallet): boolean {
  return wallet.autoRefillEnabled && wallet.balanceCredits < wallet.thresholdPoints * 400;
}
