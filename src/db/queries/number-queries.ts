import { eq } from 'drizzle-orm';
import type { Db } from '../database';
import { phoneNumbers } from '../schema';

export async function activeNumbers(db: Db) {
  return db.select().from(phoneNumbers).where(eq(phoneNumbers.status, 'active'));
}
