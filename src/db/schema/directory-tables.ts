import { index, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { operators, orgs } from './org-tables';

export const brands = pgTable(
  'brands',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('brands_org_name').on(t.orgId, t.name)],
);

export const departments = pgTable(
  'departments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull().references(() => orgs.id),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('departments_org_name').on(t.orgId, t.name)],
);

export const departmentBrands = pgTable(
  'department_brands',
  {
    departmentId: uuid('department_id').notNull().references(() => departments.id),
    brandId: uuid('brand_id').notNull().references(() => brands.id),
  },
  (t) => [primaryKey({ columns: [t.departmentId, t.brandId] })],
);

export const operatorDepartments = pgTable(
  'operator_departments',
  {
    operatorId: uuid('operator_id').notNull().references(() => operators.id),
    departmentId: uuid('department_id').notNull().references(() => departments.id),
  },
  (t) => [
    primaryKey({ columns: [t.operatorId, t.departmentId] }),
    index('operator_departments_department_idx').on(t.departmentId),
  ],
);
