import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { REQUEST_ID_HEADER } from '../src/contracts/request-id-header';
import { withCorrelation } from '../src/correlation';
import type { Logger } from '../src/logger';

/**
 * Runs each activity inside its ids: its workflow, its name, and the HTTP request that led to it when the
 * workflow passed one on (workflows/request-id-interceptors.ts). Every line logged meanwhile carries them
 * (src/logger.ts), and each activity's end is logged here: a failure as a warning, so an engineer holding a
 * request id finds what its work did in the worker too.
 */
export function activityCorrelation(logger: Logger): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      execute: (input, next) => {
        const header = input.headers[REQUEST_ID_HEADER];
        const correlation = {
          requestId: header ? defaultPayloadConverter.fromPayload<string>(header) : undefined,
          workflowId: ctx.info.workflowExecution?.workflowId,
          activity: ctx.info.activityType,
        };
        return withCorrelation(correlation, async () => {
          const startedAt = Date.now();
          const { attempt } = ctx.info;
          try {
            const result = await next(input);
            logger.debug({ attempt, durationMs: Date.now() - startedAt }, 'activity completed');
            return result;
          } catch (err) {
            logger.warn({ err, attempt, durationMs: Date.now() - startedAt }, 'activity failed');
            throw err;
          }
        });
      },
    },
  });
}
