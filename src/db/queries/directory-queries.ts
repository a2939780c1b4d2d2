import { and, eq, inArray } from 'drizzle-orm';
import { generateApiKey } from '../../api/api-keys';
import type { Db, Tx } from '../database';
import { apiKeys, brands, departmentBrands, departments, operatorDepartments, operators, orgs, wallets } from '../schema';

export async function createOrgWithAdminKey(db: Db, name: string) {
  // One transaction: an organisation never exists without the key that administers it, or its wallet.
  return db.transaction(async (tx) => {
    const [org] = await tx.insert(orgs).values({ name }).returning({ id: orgs.id, name: orgs.name });
    if (!org) throw new Error('insert returned nothing');
    const key = generateApiKey('admin');
    const [stored] = await tx.insert(apiKeys).values({ orgId: org.id, role: 'admin', keyHash: key.hash, keyPrefix: key.prefix }).returning({ id: apiKeys.id });
    await tx.insert(wallets).values({ orgId: org.id });
    return { org, apiKey: { key: key.key, role: 'admin' as const }, apiKeyId: stored!.id };
  });
}

/** Returns the ids among `ids` that do not belong to the organisation. */
async function foreignIds(tx: Tx, table: typeof brands | typeof departments, orgId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const found = await tx.select({ id: table.id }).from(table).where(and(eq(table.orgId, orgId), inArray(table.id, ids)));
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
    if (brandIds.length) await tx.insert(departmentBrands).values(brandIds.map((brandId) => ({ departmentId: dept.id, brandId })));
    return { ...dept, brandIds };
  });
}

export async function createOperator(
  db: Db,
  orgId: string,
  input: { name: string; email: string; departmentIds: string[]; maxConcurrentChats?: number },
) {
  // Operator, department memberships and key appear together or not at all.
  return db.transaction(async (tx) => {
    const [op] = await tx
      .insert(operators)
      .values({ orgId, name: input.name, email: input.email, maxConcurrentChats: input.maxConcurrentChats })
      .returning();
    if (!op) throw new Error('insert returned nothing');
    await tx.insert(operatorDepartments).values(input.departmentIds.map((departmentId) => ({ operatorId: op.id, departmentId })));
    const key = generateApiKey('operator');
    await tx.insert(apiKeys).values({ orgId, role: 'operator', operatorId: op.id, keyHash: key.hash, keyPrefix: key.prefix });
    return { operator: { ...op, departmentIds: input.departmentIds }, apiKey: { key: key.key, role: 'operator' as const } };
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
  const rows = await tx.select({ id: operators.id }).from(operators).where(and(eq(operators.orgId, orgId), eq(operators.id, operatorId)));
  return rows.length > 0;
}
