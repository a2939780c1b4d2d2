import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { expect } from 'vitest';
import type { ConversationActivities, OutboundMessage } from '../../src/contracts/conversation-contract';
import type { NumberActivities, NumberView } from '../../src/contracts/number-contract';
import type { OnboardingActivities } from '../../src/contracts/onboarding-contract';
import type { ChargeOutcome, WalletActivities } from '../../src/contracts/wallet-contract';
import { pointsToCents, pointsToCredits } from '../../src/domain/money';
import type { TimeSkipping } from '../helpers/time-skipping';

export const DAY = 24 * 3600;
export const iso = (ms: number) => new Date(ms).toISOString();

/** Activities written as plain functions; the recorder makes them async. */
type Fake<A> = {
  [K in keyof A]: A[K] extends (...args: infer P) => Promise<infer R> ? (...args: P) => R | Promise<R> : never;
};
type Overrides<A> = Partial<Fake<A>>;

export type Call = { name: string; input: any; at: number }; // `at`: the test server's time when it ran

/** Records every activity call; `hold(name)` keeps that activity's calls waiting until released. */
export class Recorder {
  readonly calls: Call[] = [];
  private readonly holds = new Map<string, { enter: () => void; released: Promise<void> }>();

  constructor(private readonly t: TimeSkipping) {}

  wrap<A>(fakes: Fake<A>): A {
    const entries = Object.entries(fakes as Record<string, (input: unknown) => unknown>);
    return Object.fromEntries(entries.map(([name, fn]) => [name, (input: unknown) => this.run(name, fn, input)])) as A;
  }

  private async run(name: string, fn: (input: unknown) => unknown, input: unknown) {
    const call: Call = { name, input, at: 0 };
    this.calls.push(call);
    call.at = await this.t.env.currentTimeMs();
    const hold = this.holds.get(name);
    hold?.enter();
    await hold?.released;
    return fn(input);
  }

  names = () => this.calls.map((c) => c.name);
  of = (name: string) => this.calls.filter((c) => c.name === name);
  inputs = (name: string) => this.of(name).map((c) => c.input);

  hold(name: string): { entered: Promise<void>; release: () => void } {
    let enter = () => {};
    let release = () => {};
    const entered = new Promise<void>((resolve) => (enter = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(name, { enter, released });
    return { entered, release: () => (this.holds.delete(name), release()) };
  }
}

/** `withWorker`, plus `track(handle)`: what a test leaves running is let go idle and terminated before the worker
 * stops, since a workflow terminated with a task outstanding stops the file's shared test-server clock for good. */
export function fakeWorkers(t: TimeSkipping) {
  const running: WorkflowHandle[] = [];
  async function settle(handles: WorkflowHandle[]) {
    const states = await Promise.all(handles.map(async (h) => ({ h, live: (await h.describe()).status.name })));
    const live = states.filter((s) => s.live === 'RUNNING').map((s) => s.h);
    if (!live.length) return;
    // The clock stands still while a task is outstanding, so this returns with all done. Its half second keeps
    // its end clear of the whole seconds the workflows' timers fire at, so none fires during the terminate.
    await t.env.sleep(10_500);
    // One that was finishing when described may have completed meanwhile: nothing left to terminate.
    const finished = (err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    };
    await Promise.all(live.map((h) => h.terminate().catch(finished)));
  }
  return {
    track: <H extends WorkflowHandle>(handle: H): H => (running.push(handle), handle),
    withWorker: <T>(activities: object, body: (taskQueue: string) => Promise<T>): Promise<T> =>
      t.withWorker(activities, async (taskQueue) => {
        try {
          return await body(taskQueue);
        } finally {
          await settle(running.splice(0));
        }
      }),
  };
}

/** The failure with which a workflow refused an update (validator or handler). */
export async function refusal(update: Promise<unknown>): Promise<ApplicationFailure> {
  const err: unknown = await update.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

/** Points to send with, an operator-less queue, and Twilio accepting every message. */
export function conversationFakes(t: TimeSkipping, overrides: Overrides<ConversationActivities> = {}) {
  const rec = new Recorder(t);
  const route = { from: 'whatsapp:+15550001', to: 'whatsapp:+15550002' };
  const pending = { status: 'pending', providerSid: null, errorCode: null } as const;
  const message = (messageId: string): OutboundMessage => ({ messageId, ...route, ...pending });
  const ready = { outcome: 'ready', orgId: 'o1', lowBalance: false } as const;
  const queued = { status: 'queued', errorCode: null, errorMessage: null } as const;
  const activities = rec.wrap<ConversationActivities>({
    assignConversation: () => ({ operatorId: null }),
    closeConversation: () => ({ departmentIds: [] }),
    requeueConversation: () => ({ departmentIds: [] }),
    giveToOperator: () => ({ departmentIds: [] }),
    prepareOutbound: ({ requestId }) => ({ ...ready, message: message(`msg:${requestId}`) }),
    recordSkippedMessage: () => undefined,
    recordSendResult: (result) => ({ ...route, ...result }),
    sendWhatsApp: ({ messageId }) => ({ messageId, providerSid: `SM-${messageId}`, ...queued }),
    wakeQueue: () => 0,
    wakeConversations: () => undefined,
    ...overrides,
  });
  return { rec, activities };
}

/** A number's provider and rows; `senders` are what successive polls of the WhatsApp sender answer. */
export function numberFakes(t: TimeSkipping, senders = ['ONLINE'], overrides: Overrides<NumberActivities> = {}) {
  const rec = new Recorder(t);
  const empty = { subscriptionExpiresAt: null, statusReason: null };
  const blank = { status: 'pending', provisioningStep: null, subscriptionState: null, ...empty } as const;
  const view = (id: string, r: Partial<NumberView>): NumberView => ({ numberId: id, ...blank, ...r });
  const live = { status: 'active' } as const;
  let polls = 0;
  const activities = rec.wrap<NumberActivities>({
    createPendingNumber: ({ numberId }) => ({ view: view(numberId, { provisioningStep: 'purchasing' }) }),
    noteNumberProgress: ({ numberId, step }) => view(numberId, { provisioningStep: step }),
    markNumberPaid: ({ numberId, expiresAt }) =>
      view(numberId, { ...live, subscriptionState: 'active', subscriptionExpiresAt: expiresAt }),
    markNumberPastDue: ({ numberId, reason }) =>
      view(numberId, { ...live, subscriptionState: 'past_due', statusReason: reason }),
    markNumberCancelled: ({ numberId }) => view(numberId, { ...live, subscriptionState: 'cancelled' }),
    endNumber: ({ numberId, status, reason }) => view(numberId, { status, statusReason: reason }),
    buyNumber: () => ({ providerSid: 'PN1' }),
    registerSender: () => ({ senderSid: 'XE1' }),
    fetchSender: () => {
      const status = senders[Math.min(polls++, senders.length - 1)]!;
      return { status, reason: status === 'OFFLINE' ? 'Display name rejected' : null };
    },
    releaseNumber: () => undefined,
    chargeSubscription: ({ amountCents }) => ({ outcome: 'charged', paymentId: 'pay-1', amountCents }),
    ...overrides,
  });
  return { rec, activities };
}

/** The database and a provider desk that takes every request. */
export function onboardingFakes(t: TimeSkipping, overrides: Overrides<OnboardingActivities> = {}) {
  const rec = new Recorder(t);
  const activities = rec.wrap<OnboardingActivities>({
    recordOnboardingRequest: ({ requestId, method }) => {
      const status = method === 'existing' ? 'pending_link_approval' : 'pending_approval';
      return { requestId, status, reason: null };
    },
    noteDeskSubmission: () => undefined,
    noteReminder: () => undefined,
    decideOnboarding: ({ requestId, status, reason }) => ({ requestId, status, reason }),
    submitAccessRequest: () => ({ deskReference: 'DESK-1' }),
    remindAccessRequest: () => undefined,
    ...overrides,
  });
  return { rec, activities };
}

/**
 * A wallet of 10 points, its card and a payments ledger that, like the real one, answers a key it has
 * seen (paid or declined) with the recorded result.
 */
export function walletFakes(t: TimeSkipping) {
  const rec = new Recorder(t);
  const wallet = { balancePoints: 10, card: 'ok' as 'ok' | 'declined' | 'none' };
  const ledger = new Map<string, ChargeOutcome>();
  const declined = { status: 'declined', code: 'card_declined', reason: 'Your card was declined.' } as const;
  const activities = rec.wrap<WalletActivities>({
    refillNeeded: ({ idempotencyKey: key, thresholdPoints }) => ({
      needed: ledger.has(key) || wallet.balancePoints < thresholdPoints,
    }),
    beginCharge: ({ idempotencyKey }) => {
      const result = ledger.get(idempotencyKey);
      if (result) return { outcome: 'recorded', result };
      return wallet.card === 'none' ? { outcome: 'no_payment_method' } : { outcome: 'charge', token: 'tok_1' };
    },
    chargeCard: ({ idempotencyKey: key }) =>
      wallet.card === 'ok' ? { status: 'succeeded', reference: `ch-${key}` } : declined,
    recordCharge: ({ idempotencyKey, points, result }) => {
      if (result.status === 'succeeded') wallet.balancePoints += points;
      const paid = { paymentId: `pay-${idempotencyKey}`, points, amountCents: pointsToCents(points) };
      const outcome: ChargeOutcome =
        result.status === 'succeeded'
          ? { outcome: 'charged', ...paid, balanceCredits: pointsToCredits(wallet.balancePoints) }
          : { outcome: 'declined', code: result.code, reason: result.reason };
      ledger.set(idempotencyKey, outcome);
      return outcome;
    },
    pauseAutoRefill: () => undefined,
    saveAutoRefillSettings: () => undefined,
  });
  return { rec, wallet, activities };
}
