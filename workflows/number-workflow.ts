import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { FailureType } from '../src/contracts/failure-types';
import {
  acceptedUpdate,
  cancelUpdate,
  numberStateQuery,
  type NumberActivities,
  type NumberInput,
  type NumberView,
  type Subscription,
} from '../src/contracts/number-contract';
import { NumberStatus } from '../src/contracts/search-attributes';
import { DATABASE_ACTIVITY, PAYMENT_ACTIVITY } from './activity-options';

const db = proxyActivities<NumberActivities>(DATABASE_ACTIVITY);
const twilio = proxyActivities<NumberActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [FailureType.NumberPurchaseRefused, FailureType.SenderRegistrationRefused],
  },
});
const payments = proxyActivities<NumberActivities>(PAYMENT_ACTIVITY);

export async function numberWorkflow(input: NumberInput): Promise<NumberView | undefined> {
  const { numberId, policy } = input;
  let view = input.view;
  let conflict: string | undefined;
  let subscription = input.subscription;
  let cancelRequested = subscription?.cancelled ?? false;

  setHandler(numberStateQuery, () => view);
  setHandler(acceptedUpdate, async () => {
    await condition(() => view !== undefined || conflict !== undefined);
    if (conflict) throw ApplicationFailure.nonRetryable(conflict, FailureType.NumberAlreadyRegistered);
    return view!;
  });
  setHandler(
    cancelUpdate,
    async () => {
      cancelRequested = true;
      view = await db.markNumberCancelled({ numberId });
      show('cancelled');
      return view;
    },
    {
      validator: () => {
        if (!subscription)
          throw ApplicationFailure.nonRetryable(
            'The number is still being set up; it can be cancelled once live',
            FailureType.NumberNotActive,
          );
        if (cancelRequested)
          throw ApplicationFailure.nonRetryable('The subscription is already cancelled', FailureType.AlreadyCancelled);
      },
    },
  );
  const show = (value: string) => upsertSearchAttributes([{ key: NumberStatus, value }]);
  const periodMs = policy.periodSeconds * 1000;

  async function finish(): Promise<NumberView | undefined> {
    await condition(allHandlersFinished);
    return view;
  }

  async function end(
    status: 'failed' | 'released',
    reason: string,
    provider?: { providerSid: string; senderSid?: string },
  ) {
    if (provider) await twilio.releaseNumber({ orgId: input.orgId, ...provider });
    view = await db.endNumber({ numberId, status, reason });
    show(status);
    return finish();
  }

  /** Buys the number, registers its WhatsApp sender, and charges the first period only once it is ONLINE. */
  async function provision(): Promise<Subscription | undefined> {
    const { displayName: _d, wabaId: _w, policy: _p, subscription: _s, view: _v, ...pending } = input;
    const created = await db.createPendingNumber(pending);
    if ('conflict' in created) {
      conflict = created.conflict;
      return undefined;
    }
    view = created.view;
    show('purchasing');
    const { orgId, e164 } = input;
    const bought = await attempt(() => twilio.buyNumber({ orgId, e164 }));
    if ('error' in bought || 'unavailable' in bought) {
      await end('failed', 'error' in bought ? `Twilio refused the purchase: ${bought.error}` : bought.unavailable);
      return undefined;
    }
    const { providerSid } = bought;
    view = await db.noteNumberProgress({ numberId, step: 'registering_sender', providerSid });
    show('registering');
    const registered = await attempt(() =>
      twilio.registerSender({ orgId, e164, displayName: input.displayName, wabaId: input.wabaId }),
    );
    if ('error' in registered) {
      await end('failed', `WhatsApp sender registration refused: ${registered.error}`, { providerSid });
      return undefined;
    }
    const { senderSid } = registered;
    const online = await awaitSenderOnline(senderSid);
    if (online !== true) {
      await end('failed', online, { providerSid, senderSid });
      return undefined;
    }
    view = await db.noteNumberProgress({ numberId, step: 'charging' });
    const charge = await payments.chargeSubscription({
      orgId: input.orgId,
      idempotencyKey: `subscription:${numberId}:1:1`,
      amountCents: input.monthlyPriceCents,
      description: `WhatsApp number ${input.e164}, first month`,
    });
    if (charge.outcome !== 'charged') {
      const why = charge.outcome === 'declined' ? charge.reason : 'no card on file';
      await end('failed', `The first month could not be charged: ${why}`, { providerSid, senderSid });
      return undefined;
    }
    const expiresAt = new Date(Date.now() + periodMs).toISOString();
    view = await db.markNumberPaid({ numberId, expiresAt });
    show('active');
    return { providerSid, senderSid, period: 1, expiresAt, cancelled: false };
  }

  /** Durable back-off polling of the sender's review: true once ONLINE, else why not. */
  async function awaitSenderOnline(senderSid: string): Promise<true | string> {
    const deadline = Date.now() + policy.senderTimeoutSeconds * 1000;
    let delay = policy.senderPollSeconds;
    let last = '';
    for (;;) {
      const sender = await twilio.fetchSender({ orgId: input.orgId, senderSid });
      if (sender.status !== last) {
        last = sender.status;
        view = await db.noteNumberProgress({ numberId, step: `sender_${last.toLowerCase()}`, senderSid });
      }
      if (last === 'ONLINE') return true;
      if (last === 'OFFLINE') return `The WhatsApp sender went OFFLINE: ${sender.reason ?? 'no reason given'}`;
      if (Date.now() >= deadline)
        return `The WhatsApp sender was not ONLINE after ${policy.senderTimeoutSeconds} s (last status ${last})`;
      await sleep(Math.min(delay * 1000, Math.max(1, deadline - Date.now())));
      delay = Math.min(delay * 2, policy.senderPollMaxSeconds);
    }
  }

  /** One period: wait for its end, then renew (retrying through the grace period) or release. */
  async function renew(sub: Subscription): Promise<NumberView | undefined> {
    const provider = { providerSid: sub.providerSid, senderSid: sub.senderSid };
    await sleep(Math.max(1, Date.parse(sub.expiresAt) - Date.now()));
    if (cancelRequested)
      return end('released', 'Cancelled by an admin; released at the end of the paid period', provider);
    const period = sub.period + 1;
    const graceEnds = Date.parse(sub.expiresAt) + policy.graceSeconds * 1000;
    // Runs that started retrying before this fix released the number at the last retry that fit in grace.
    const lastTryAtGraceEnd = patched('number-renewal-last-try-at-grace-end');
    let reason = '';
    for (let attempt = 1; ; attempt++) {
      const charge = await payments.chargeSubscription({
        orgId: input.orgId,
        idempotencyKey: `subscription:${numberId}:${period}:${attempt}`,
        amountCents: input.monthlyPriceCents,
        description: `WhatsApp number ${input.e164}, month ${period}`,
      });
      if (charge.outcome === 'charged') {
        const expiresAt = new Date(Date.parse(sub.expiresAt) + periodMs).toISOString();
        view = await db.markNumberPaid({ numberId, expiresAt });
        show('active');
        await condition(allHandlersFinished);
        return continueAsNew<typeof numberWorkflow>({
          ...input,
          view,
          subscription: { ...sub, period, expiresAt, cancelled: cancelRequested },
        });
      }
      reason = charge.outcome === 'declined' ? charge.reason : 'no card on file';
      const retryMs = policy.graceRetrySeconds * 1000;
      // As the past-due reason promises, the last retry is when grace ends: a card fixed by then keeps the number.
      const next = lastTryAtGraceEnd ? Math.min(Date.now() + retryMs, graceEnds) : Date.now() + retryMs;
      const last = lastTryAtGraceEnd ? Date.now() >= graceEnds : next > graceEnds;
      view = await db.markNumberPastDue({
        numberId,
        reason: `Renewal failed (attempt ${attempt}): ${reason}.${last ? '' : ` Retrying until ${new Date(graceEnds).toISOString()}; update the card to keep the number.`}`,
      });
      show('past_due');
      if (last) break;
      if (await condition(() => cancelRequested, Math.max(1, next - Date.now())))
        return end('released', 'Cancelled by an admin while the renewal was past due', provider);
    }
    return end('released', `Renewal failed through the grace period: ${reason}`, provider);
  }

  if (!subscription) {
    subscription = await provision();
    if (!subscription) return finish();
    await condition(allHandlersFinished);
    return continueAsNew<typeof numberWorkflow>({
      ...input,
      view,
      subscription: { ...subscription, cancelled: cancelRequested },
    });
  }
  return renew(subscription);
}

/** A refused activity becomes the reason shown to the admin; anything else fails the workflow task. */
async function attempt<T>(fn: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await fn();
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof ApplicationFailure && cause.nonRetryable) return { error: cause.message };
    throw err;
  }
}
