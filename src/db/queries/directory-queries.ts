import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../database';
import type { NamedInOrgTable } from '../schema/directory-tables';
import {
  apiKeys,
  brands,
  departmentBrands,
  departments,
  operatorDepartments,
  operators,
  orgs,
  wallets,
} from '../schema';
import { orgRowsPage, type PageRequest } from './keyset-pages';

/** A key as stored: its digest and a recognisable prefix; the key itself is shown once and never kept. */
export interface StoredKey {
  hash: string;
  prefix: string;
}

export async function createOrgWithAdminKey(db: Db, name: string, adminKey: StoredKey) {
  // One transaction: an organisation never exists without the key that administers it, or its wallet.
  return db.transaction(async (tx) => {
    const [org] = await tx.insert(orgs).values({ name }).returning({ id: orgs.id, name: orgs.name });
    if (!org) throw new Error('insert returned nothing');
    const [stored] = await tx
      .insert(apiKeys)
      .values({ orgId: org.id, role: 'admin', keyHash: adminKey.hash, keyPrefix: adminKey.prefix })
      .returning({ id: apiKeys.id });
    await tx.insert(wallets).values({ orgId: org.id });
    return { org, apiKeyId: stored!.id };
  });
}

/** Returns the ids among `ids` that do not belong to the organisation. */
async function foreignIds(tx: Tx, table: NamedInOrgTable, orgId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const found = await tx
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.orgId, orgId), inArray(table.id, ids)));
  const own = new Set(found.map((r) => r.id));
  return ids.filter((id) => !own.has(id));
}

export const unknownBrands = (tx: Tx, orgId: string, ids: string[]) => foreignIds(tx, brands, orgId, ids);
export const unknownDepartments = (tx: Tx, orgId: string, ids: string[]) => foreignIds(tx, departments, orgId, ids);

export async function createDepartment(db: Db, orgId: string, name: string, brandIds: string[]) {
  // Department and its brand links appear together or not at all.
  return db.transaction(async (tx) => {
    const [dept] = await tx.insert(departments).values({ orgId, name }).returning();
    if (!dept) throw new Error('insert returned nothing');
    if (brandIds.length)
      await tx.insert(departmentBrands).values(brandIds.map((brandId) => ({ departmentId: dept.id, brandId })));
    return { ...dept, brandIds };
  });
}

export async function createOperator(
  db: Db,
  orgId: string,
  input: { name: string; email: string; departmentIds: string[]; maxConcurrentChats?: number },
  key: StoredKey,
) {
  // Operator, department memberships and key appear together or not at all.
  return db.transaction(async (tx) => {
    const [op] = await tx
      .insert(operators)
      .values({ orgId, name: input.name, email: input.email, maxConcurrentChats: input.maxConcurrentChats })
      .returning();
    if (!op) throw new Error('insert returned nothing');
    await tx
      .insert(operatorDepartments)
      .values(input.departmentIds.map((departmentId) => ({ operatorId: op.id, departmentId })));
    await tx
      .insert(apiKeys)
      .values({ orgId, role: 'operator', operatorId: op.id, keyHash: key.hash, keyPrefix: key.prefix });
    return { ...op, departmentIds: input.departmentIds };
  });
}

export async function isDepartmentLinkedToBrand(tx: Tx, departmentId: string, brandId: string): Promise<boolean> {
  const rows = await tx
    .select()
    .from(departmentBrands)
    .where(and(eq(departmentBrands.departmentId, departmentId), eq(departmentBrands.brandId, brandId)));
  return rows.length > 0;
}

export async function operatorInOrg(tx: Tx, orgId: string, operatorId: string): Promise<boolean> {
  const rows = await tx
    .select({ id: operators.id })
    .from(operators)
    .where(and(eq(operators.orgId, orgId), eq(operators.id, operatorId)));
  return rows.length > 0;
}

export async function departmentsOfOperator(tx: Tx, operatorId: string): Promise<string[]> {
  const rows = await tx
    .select({ id: operatorDepartments.departmentId })
    .from(operatorDepartments)
    .where(eq(operatorDepartments.operatorId, operatorId));
  return rows.map((r) => r.id);
}

/** The key's owner, unless the key was revoked. */
export async function activeApiKey(tx: Tx, keyHash: string) {
  const [row] = await tx
    .select({
      orgId: apiKeys.orgId,
      role: apiKeys.role,
      operatorId: apiKeys.operatorId,
      keyId: apiKeys.id,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  return row;
}

export async function createBrand(tx: Tx, orgId: string, name: string) {
  const [brand] = await tx.insert(brands).values({ orgId, name }).returning();
  return brand!;
}

export const brandsPage = (tx: Tx, orgId: string, page: PageRequest) => orgRowsPage(tx, brands, orgId, page);
export const departmentsPage = (tx: Tx, orgId: string, page: PageRequest) => orgRowsPage(tx, departments, orgId, page);
export const operatorsPage = (tx: Tx, orgId: string, page: PageRequest) => orgRowsPage(tx, operators, orgId, page);

export async function setPresence(
  tx: Tx,
  orgId: string,
  operatorId: string,
  presence: 'available' | 'away' | 'offline',
) {
  const [op] = await tx
    .update(operators)
    .set({ presence })
    .where(and(eq(operators.id, operatorId), eq(operators.orgId, orgId)))
    .returning();
  return op;
}

/** What customers see as a new WhatsApp sender's name: its brand, else the organisation. */
export async function senderDisplayName(tx: Tx, orgId: string, brandId?: string): Promise<string> {
  const [brand] = brandId ? await tx.select({ name: brands.name }).from(brands).where(eq(brands.id, brandId)) : [];
  if (brand) return brand.name;
  const [org] = await tx.select({ name: orgs.name }).from(orgs).where(eq(orgs.id, orgId));
  return org!.name;
}
