import { index, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
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
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.brandId] })],
);

export const operatorDepartments = pgTable(
  'operator_departments',
  {
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id),
  },
  (t) => [
    primaryKey({ columns: [t.operatorId, t.departmentId] }),
    index('operator_departments_department_idx').on(t.departmentId),
  ],
);
