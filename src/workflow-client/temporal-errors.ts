import { isGrpcServiceError, ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

const grpcCode = (err: unknown): number | undefined =>
  err instanceof ServiceError && isGrpcServiceError(err.cause) ? Number(err.cause.code) : undefined;
const grpcDetails = (err: unknown): string =>
  err instanceof ServiceError && isGrpcServiceError(err.cause) ? String(err.cause.details ?? err.cause.message) : '';

const DEADLINE_EXCEEDED = 4;
const RESOURCE_EXHAUSTED = 8;
const FAILED_PRECONDITION = 9;
const UNAVAILABLE = 14;

/** Temporal could not be reached, or did not answer before the call's deadline. */
export const isTemporalUnavailable = (err: unknown): boolean =>
  err instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
  grpcCode(err) === UNAVAILABLE ||
  grpcCode(err) === DEADLINE_EXCEEDED;

/**
 * The server's caps on one workflow's updates: too many in flight at once, or too many in this run
 * (the workflow continues as new to make room). Either way, the same request shortly will be taken.
 */
export const isUpdateLimit = (err: unknown): boolean =>
  grpcCode(err) === RESOURCE_EXHAUSTED ||
  (grpcCode(err) === FAILED_PRECONDITION && /limit on the total number of distinct updates/.test(grpcDetails(err)));
