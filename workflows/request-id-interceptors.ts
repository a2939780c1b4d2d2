import type { Payload } from '@temporalio/common';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { REQUEST_ID_HEADER } from '../src/contracts/request-id-header';

type WithHeaders = { headers: Record<string, Payload> };

/**
 * Passes the id of the HTTP request that last started, signalled or updated a workflow on to the
 * activities it schedules next (and to its next run), so the worker's log lines for that work name the
 * request (worker/activity-correlation.ts). It only adds a header to commands: what the workflow does,
 * and so its replay, is unchanged. Timers firing long after are still credited to that last request.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  // Made once per workflow execution, so each remembers its own; rebuilt on replay from the same events.
  let latest: Payload | undefined;
  const heard = <T extends WithHeaders>(input: T): T => {
    latest = input.headers[REQUEST_ID_HEADER] ?? latest;
    return input;
  };
  const passedOn = <T extends WithHeaders>(input: T): T =>
    latest && !input.headers[REQUEST_ID_HEADER]
      ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: latest } }
      : input;
  return {
    inbound: [
      {
        execute: (input, next) => next(heard(input)),
        handleSignal: (input, next) => next(heard(input)),
        handleUpdate: (input, next) => next(heard(input)),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(passedOn(input)),
        scheduleLocalActivity: (input, next) => next(passedOn(input)),
        continueAsNew: (input, next) => next(passedOn(input)),
      },
    ],
  };
};
