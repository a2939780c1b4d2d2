import { eq } from 'drizzle-orm';
import type { Db } from '../src/db/database';
import { isUniqueViolation } from '../src/db/db-errors';
import { tellNumberStatus } from '../src/db/queries/number-queries';
import { phoneNumbers } from '../src/db/schema';
import type { NumberActivities, NumberView } from '../src/contracts/number-contract';

const view = (n: typeof phoneNumbers.$inferSelect): NumberView => ({
  numberId: n.id,
  status: n.status,
  provisioningStep: n.provisioningStep,
  subscriptionState: n.subscriptionState,
  subscriptionExpiresAt: n.subscriptionExpiresAt?.toISOString() ?? null,
  statusReason: n.statusReason,
});

type NumberRowActivities = Pick<
  NumberActivities,
  | 'createPendingNumber'
  | 'noteNumberProgress'
  | 'markNumberPaid'
  | 'markNumberPastDue'
  | 'markNumberCancelled'
  | 'endNumber'
>;

/** The number's row belongs to its workflow: only these activities write it after the purchase starts. */
export function createNumberActivities({ db }: { db: Db }): NumberRowActivities {
  /** Tells of a change of status or subscription once: a retried activity writing the same again tells nobody. */
  async function update(numberId: string, set: Partial<typeof phoneNumbers.$inferInsert>): Promise<NumberView> {
    return db.transaction(async (tx) => {
      const where = eq(phoneNumbers.id, numberId);
      const [before] = await tx.select().from(phoneNumbers).where(where).for('update');
      const [row] = await tx.update(phoneNumbers).set(set).where(where).returning();
      if (before?.status !== row!.status || before.subscriptionState !== row!.subscriptionState)
        await tellNumberStatus(tx, row!);
      return view(row!);
    });
  }

  return {
    /** Idempotent on the id the API chose; a live row for the same number elsewhere is a conflict. */
    async createPendingNumber(input) {
      try {
        await db.transaction(async (tx) => {
          const [created] = await tx
            .insert(phoneNumbers)
            .values({
              id: input.numberId,
              orgId: input.orgId,
              e164: input.e164,
              country: input.country,
              numberType: input.numberType,
              source: 'purchased',
              status: 'pending',
              provisioningStep: 'purchasing',
              monthlyPriceCents: input.monthlyPriceCents,
              brandId: input.brandId,
              departmentId: input.departmentId,
            })
            .onConflictDoNothing({ target: phoneNumbers.id })
            .returning();
          if (created) await tellNumberStatus(tx, created);
        });
      } catch (err) {
        if (isUniqueViolation(err)) return { conflict: `${input.e164} is already registered` };
        throw err;
      }
      const [row] = await db.select().from(phoneNumbers).where(eq(phoneNumbers.id, input.numberId));
      return { view: view(row!) };
    },

    async noteNumberProgress(input) {
      return update(input.numberId, {
        provisioningStep: input.step,
        providerSid: input.providerSid,
        senderSid: input.senderSid,
      });
    },

    /** Paid through `expiresAt`: live for inbound routing (the row's status) and renewing. */
    async markNumberPaid(input) {
      return update(input.numberId, {
        status: 'active',
        provisioningStep: null,
        subscriptionState: 'active',
        subscriptionExpiresAt: new Date(input.expiresAt),
        statusReason: null,
      });
    },

    async markNumberPastDue({ numberId, reason }) {
      return update(numberId, { subscriptionState: 'past_due', statusReason: reason });
    },

    async markNumberCancelled({ numberId }) {
      return update(numberId, {
        subscriptionState: 'cancelled',
        statusReason: 'Cancelled by an admin: released when the paid period ends',
      });
    },

    /** The end of a number: never live (failed) or given back to the provider (released). */
    async endNumber(input) {
      return update(input.numberId, {
        status: input.status,
        statusReason: input.reason,
        provisioningStep: null,
        releasedAt: input.status === 'released' ? new Date() : undefined,
      });
    },
  };
}
