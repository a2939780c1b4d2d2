import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../src/db/database';
import { onboardingEvents, onboardingRequests, type AccessRequestForm, type OnboardingStatus } from '../src/db/schema';

export interface NewOnboardingRequest {
  requestId: string;
  orgId: string;
  method: 'existing' | 'access_request';
  businessManagerId: string;
  businessAccountId?: string;
  form?: AccessRequestForm;
  expiresAt: string;
}

export interface OnboardingView {
  requestId: string;
  status: OnboardingStatus;
  reason: string | null;
}

const view = (r: typeof onboardingRequests.$inferSelect): OnboardingView => ({ requestId: r.id, status: r.status, reason: r.reason });

async function addEvent(tx: Tx, requestId: string, event: string, note: string | null, idempotencyKey: string) {
  await tx.insert(onboardingEvents).values({ requestId, event, note, idempotencyKey }).onConflictDoNothing();
}

export function createOnboardingActivities({ db }: { db: Db }) {
  return {
    /** Idempotent on the request id, which the API chose before starting the workflow. */
    async recordOnboardingRequest(input: NewOnboardingRequest): Promise<OnboardingView> {
      const status: OnboardingStatus = input.method === 'existing' ? 'pending_link_approval' : 'pending_approval';
      return db.transaction(async (tx) => {
        await tx
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
          .onConflictDoNothing();
        await addEvent(tx, input.requestId, status, null, `${input.requestId}:created`);
        const [row] = await tx.select().from(onboardingRequests).where(eq(onboardingRequests.id, input.requestId));
        return view(row!);
      });
    },

    async noteDeskSubmission({ requestId, deskReference }: { requestId: string; deskReference: string }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.update(onboardingRequests).set({ deskReference }).where(eq(onboardingRequests.id, requestId));
        await addEvent(tx, requestId, 'submitted_to_provider', `provider reference ${deskReference}`, `${requestId}:submitted`);
      });
    },

    async noteReminder({ requestId, reminder }: { requestId: string; reminder: number }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.update(onboardingRequests).set({ remindersSent: sql`greatest(${onboardingRequests.remindersSent}, ${reminder})` }).where(eq(onboardingRequests.id, requestId));
        await addEvent(tx, requestId, 'reminder_sent', `reminder ${reminder} to the provider`, `${requestId}:reminder:${reminder}`);
      });
    },

    /** The request's final status; written once, so a retried activity cannot overwrite a decision. */
    async decideOnboarding(input: { requestId: string; status: 'approved' | 'rejected' | 'expired'; reason: string | null }): Promise<OnboardingView> {
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(onboardingRequests).where(eq(onboardingRequests.id, input.requestId)).for('update');
        if (row!.decidedAt) return view(row!);
        const [decided] = await tx
          .update(onboardingRequests)
          .set({ status: input.status, reason: input.reason, decidedAt: new Date() })
          .where(eq(onboardingRequests.id, input.requestId))
          .returning();
        await addEvent(tx, input.requestId, input.status, input.reason, `${input.requestId}:decided`);
        return view(decided!);
      });
    },
  };
}
