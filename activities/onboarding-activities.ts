import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../src/db/database';
import type { OnboardingActivities, OnboardingStatus, OnboardingView } from '../src/contracts/onboarding-contract';
import { emit } from '../src/db/queries/event-queries';
import { onboardingEvents, onboardingRequests } from '../src/db/schema';

const view = (r: typeof onboardingRequests.$inferSelect): OnboardingView => ({
  requestId: r.id,
  status: r.status,
  reason: r.reason,
});

/** One entry of the request's history, once per key; dated now unless `at` says when it happened. */
async function addEvent(
  tx: Tx,
  requestId: string,
  event: string,
  note: string | null,
  idempotencyKey: string,
  at?: SQL,
) {
  await tx.insert(onboardingEvents).values({ requestId, event, note, idempotencyKey, at }).onConflictDoNothing();
}

/** `onboarding.status_changed`: a request was made, approved, rejected or expired. */
function tellStatus(tx: Tx, r: typeof onboardingRequests.$inferSelect) {
  const { id: requestId, method, status, reason, wabaId } = r;
  return emit(tx, r.orgId, 'onboarding.status_changed', { requestId, method, status, reason, wabaId });
}

type OnboardingRowActivities = Omit<OnboardingActivities, 'submitAccessRequest' | 'remindAccessRequest'>;

/** The request's row and history belong to the onboarding workflow: only these activities write them. */
export function createOnboardingActivities({ db }: { db: Db }): OnboardingRowActivities {
  return {
    /** Idempotent on the request id, which the API chose before starting the workflow. */
    async recordOnboardingRequest(input) {
      const status: OnboardingStatus = input.method === 'existing' ? 'pending_link_approval' : 'pending_approval';
      return db.transaction(async (tx) => {
        const [created] = await tx
          .insert(onboardingRequests)
          .values({
            id: input.requestId,
            orgId: input.orgId,
            method: input.method,
            businessManagerId: input.businessManagerId,
            businessAccountId: input.businessAccountId,
            form: input.form,
            status,
            expiresAt: new Date(input.expiresAt),
          })
          .onConflictDoNothing()
          .returning();
        if (created) await tellStatus(tx, created);
        await addEvent(tx, input.requestId, status, null, `${input.requestId}:created`);
        const [row] = await tx.select().from(onboardingRequests).where(eq(onboardingRequests.id, input.requestId));
        return view(row!);
      });
    },

    async noteDeskSubmission({ requestId, deskReference, receivedAt }) {
      await db.transaction(async (tx) => {
        await tx.update(onboardingRequests).set({ deskReference }).where(eq(onboardingRequests.id, requestId));
        const note = `provider reference ${deskReference}`;
        // The desk's clock, kept between the request's creation and now: a skewed desk cannot reorder the history.
        const at = receivedAt
          ? sql`least(greatest(${receivedAt}::timestamptz, (select created_at from onboarding_requests where id = ${requestId})), now())`
          : undefined;
        await addEvent(tx, requestId, 'submitted_to_provider', note, `${requestId}:submitted`, at);
      });
    },

    async noteReminder({ requestId, reminder }) {
      await db.transaction(async (tx) => {
        await tx
          .update(onboardingRequests)
          .set({ remindersSent: sql`greatest(${onboardingRequests.remindersSent}, ${reminder})` })
          .where(eq(onboardingRequests.id, requestId));
        await addEvent(
          tx,
          requestId,
          'reminder_sent',
          `reminder ${reminder} to the provider`,
          `${requestId}:reminder:${reminder}`,
        );
      });
    },

    /** The request's final status; written once, so a retried activity cannot overwrite a decision. */
    async decideOnboarding(input) {
      return db.transaction(async (tx) => {
        const [row] = await tx
          .select()
          .from(onboardingRequests)
          .where(eq(onboardingRequests.id, input.requestId))
          .for('update');
        if (row!.decidedAt) return view(row!);
        const [decided] = await tx
          .update(onboardingRequests)
          .set({ status: input.status, reason: input.reason, wabaId: input.wabaId, decidedAt: new Date() })
          .where(eq(onboardingRequests.id, input.requestId))
          .returning();
        await addEvent(tx, input.requestId, input.status, input.reason, `${input.requestId}:decided`);
        await tellStatus(tx, decided!);
        return view(decided!);
      });
    },
  };
}
