import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { phoneNumbers } from '../schema';

export async function activeNumbers(db: Db) {
  return db.select().from(phoneNumbers).where(eq(phoneNumbers.status, 'active'));
}
