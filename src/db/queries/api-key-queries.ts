import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../database';
import { apiKeys } from '../schema';
import type { StoredKey } from './directory-queries';
import { orgRowsPage, type PageRequest } from './keyset-pages';

export type ApiKey = typeof apiKeys.$inferSelect;

export const apiKeysPage = (tx: Tx, orgId: string, page: PageRequest) => orgRowsPage(tx, apiKeys, orgId, page);

export async function apiKeyOf(tx: Tx, orgId: string, id: string): Promise<ApiKey | undefined> {
  const [row] = await tx
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, orgId)));
  return row;
}

export async function addApiKey(
  tx: Tx,
  key: { orgId: string; role: 'admin' | 'operator'; operatorId: string | null },
  stored: StoredKey,
): Promise<ApiKey> {
  const [row] = await tx
    .insert(apiKeys)
    .values({ ...key, keyHash: stored.hash, keyPrefix: stored.prefix })
    .returning();
  return row!;
}

/** At most one write a minute per key, however busy it is. */
export async function noteKeyUsed(tx: Tx, keyId: string): Promise<void> {
  await tx
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(
      and(
        eq(apiKeys.id, keyId),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
}

export type Revocation = 'revoked' | 'not_found' | 'last_admin_key';

/**
 * Revokes a key, and with `replacement` issues its successor (same role and operator) in the same
 * transaction: a rotation never leaves the holder with neither key, nor with both.
 */
export async function revokeApiKey(
  db: Db,
  orgId: string,
  id: string,
  replacement?: StoredKey,
): Promise<{ outcome: Revocation; successor?: ApiKey }> {
  return db.transaction(async (tx) => {
    // Locks the organisation's live keys: two admins revoking each other's keys at once cannot lock it out.
    const live = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
      .for('update');
    const key = live.find((k) => k.id === id);
    if (!key) return { outcome: 'not_found' };
    const otherAdmins = live.filter((k) => k.role === 'admin' && k.id !== id);
    // Rotating it too: were the answer with its successor lost, nobody could administer the organisation again.
    if (key.role === 'admin' && otherAdmins.length === 0) return { outcome: 'last_admin_key' };
    await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id));
    if (!replacement) return { outcome: 'revoked' };
    const successor = await addApiKey(tx, { orgId, role: key.role, operatorId: key.operatorId }, replacement);
    return { outcome: 'revoked', successor };
  });
}
