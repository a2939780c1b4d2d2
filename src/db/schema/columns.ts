import { timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** Columns most tables share, so each table states only what is its own. */
export const id = () => uuid('id').primaryKey().defaultRandom();
export const at = (name: string) => timestamp(name, { withTimezone: true });
export const createdAt = () => at('created_at').notNull().defaultNow();
export const updatedAt = () => at('updated_at').notNull().defaultNow();
/** A required reference to another table's key. */
export const requiredRef = (name: string, target: () => AnyPgColumn) => uuid(name).notNull().references(target);
