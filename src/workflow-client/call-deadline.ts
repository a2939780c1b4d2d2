import type { Client } from '@temporalio/client';

/**
 * Every call to Temporal answers within this, so an HTTP caller gets a 503 it can retry rather than a
 * hang, and Twilio (which gives up on a webhook after 15 s) hears back in time to retry.
 */
export const CALL_DEADLINE_MS = 10_000;

export const withinDeadline = <T>(temporal: Client, call: () => Promise<T>): Promise<T> =>
  temporal.withDeadline(Date.now() + CALL_DEADLINE_MS, call);
