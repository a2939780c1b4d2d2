import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What ties a log line to the work it was written for: the HTTP request being served, or the activity
 * being run (its workflow, and the request that led to it when one did).
 */
export interface Correlation {
  requestId?: string;
  workflowId?: string;
  activity?: string;
}

// Node's own context propagation: lines written deep below a route or an activity (a query, a Temporal
// call, the error handler) carry the ids without each function being handed a logger or a request.
const storage = new AsyncLocalStorage<Correlation>();

/** Runs `work`, and everything it starts, with these ids added to the ones already current. */
export function withCorrelation<T>(fields: Correlation, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, work);
}

/** The ids of the work under way here; empty outside any request or activity. */
export const currentCorrelation = (): Correlation => storage.getStore() ?? {};
