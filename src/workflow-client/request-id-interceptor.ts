import { defaultPayloadConverter, type Headers, type WorkflowClientInterceptor } from '@temporalio/client';
import { REQUEST_ID_HEADER } from '../contracts/request-id-header';

const headerOf = (requestId: string): Headers => ({
  [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId),
});

type Started = { headers: Headers; options: { memo?: Record<string, unknown> } };

function startedFor<T extends Started>(input: T, requestId: string): T {
  const memo = { ...input.options.memo, [REQUEST_ID_HEADER]: requestId };
  return { ...input, headers: { ...input.headers, ...headerOf(requestId) }, options: { ...input.options, memo } };
}

const sentFor = <T extends { headers: Headers }>(input: T, requestId: string): T => ({
  ...input,
  headers: { ...input.headers, ...headerOf(requestId) },
});

/**
 * Marks every workflow start, signal and update a Temporal client makes with the id of the HTTP request
 * it is made for, so an engineer holding a request id (from a log line, an error answer or the
 * `X-Request-Id` header) finds the workflow and the very event in the Temporal UI: a started workflow's
 * memo names the request that started it, and each event's header names the request that sent it.
 * `currentRequestId` reads the request being served (src/correlation.ts); calls made outside any request
 * (the worker's repairs and queue hand-offs) go unmarked.
 */
export function requestIdInterceptor(currentRequestId: () => string | undefined): WorkflowClientInterceptor {
  const marked = <T>(input: T, mark: (input: T, requestId: string) => T): T => {
    const requestId = currentRequestId();
    return requestId ? mark(input, requestId) : input;
  };
  return {
    start: (input, next) => next(marked(input, startedFor)),
    signalWithStart: (input, next) => next(marked(input, startedFor)),
    signal: (input, next) => next(marked(input, sentFor)),
    startUpdate: (input, next) => next(marked(input, sentFor)),
    startUpdateWithStart: (input, next) =>
      next(
        marked(input, (i, requestId) => ({
          ...i,
          workflowStartOptions: {
            ...i.workflowStartOptions,
            memo: { ...i.workflowStartOptions.memo, [REQUEST_ID_HEADER]: requestId },
          },
          workflowStartHeaders: { ...i.workflowStartHeaders, ...headerOf(requestId) },
          updateHeaders: { ...i.updateHeaders, ...headerOf(requestId) },
        })),
      ),
  };
}
