import { index, pgTable, primaryKey, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, requiredRef } from './columns';
import { operators, orgId } from './org-tables';

/** A brand or a department: named once per organisation. */
const namedInOrg = (table: string) =>
  pgTable(table, { id: id(), orgId: orgId(), name: text('name').notNull(), createdAt: createdAt() }, (t) => [
    unique(`${table}_org_name`).on(t.orgId, t.name),
  ]);

export type NamedInOrgTable = ReturnType<typeof namedInOrg>;

export const brands = namedInOrg('brands');
export const departments = namedInOrg('departments');

export const departmentBrands = pgTable(
  'department_brands',
  {
    departmentId: requiredRef('department_id', () => departments.id),
    brandId: requiredRef('brand_id', () => brands.id),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.brandId] })],
);

export const operatorDepartments = pgTable(
  'operator_departments',
  {
    operatorId: requiredRef('operator_id', () => operators.id),
    departmentId: requiredRef('department_id', () => departments.id),
  },
  (t) => [
    primaryKey({ columns: [t.operatorId, t.departmentId] }),
    index('operator_departments_department_idx').on(t.departmentId),
  ],
);
