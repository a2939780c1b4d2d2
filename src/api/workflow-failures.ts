import { isGrpcServiceError, ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { creditsToPointsString } from '../domain/money';
import { ApiError } from './api-errors';

const GRPC_RESOURCE_EXHAUSTED = 8;

/** Turns a workflow's refusal of an update into the HTTP answer the caller can act on. */
export function updateRefusalToApiError(err: unknown): unknown {
  if (err instanceof WorkflowNotFoundError) {
    return new ApiError(409, 'conversation_closed', 'The conversation is closed');
  }
  // The server's cap on in-flight updates per workflow, still hit after the client's own retries.
  if (err instanceof ServiceError && isGrpcServiceError(err.cause) && Number(err.cause.code) === GRPC_RESOURCE_EXHAUSTED) {
    return new ApiError(429, 'too_many_requests', 'Too many requests are in flight for this conversation; retry in a few seconds');
  }
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) return err;
  const failure = err.cause;
  const details = (failure.details?.[0] ?? {}) as Record<string, unknown>;
  switch (failure.type) {
    case 'ConversationClosed':
      return new ApiError(409, 'conversation_closed', failure.message);
    case 'InsufficientPoints':
      return new ApiError(
        402,
        'insufficient_points',
        `Sending needs ${creditsToPointsString(Number(details.neededCredits))} points (1 message); the balance is ${creditsToPointsString(Number(details.balanceCredits))} points. Buy points or turn on auto-refill.`,
        details,
      );
    case 'PaymentDeclined':
      return new ApiError(402, 'payment_declined', `The card was declined: ${failure.message}`, details);
    case 'PaymentMethodRequired':
      return new ApiError(402, 'payment_method_required', failure.message);
    case 'RequestNotPending':
      return new ApiError(409, 'request_not_pending', failure.message);
    case 'NumberAlreadyRegistered':
      return new ApiError(409, 'number_already_registered', failure.message);
    case 'NumberNotActive':
      return new ApiError(409, 'number_not_active', failure.message);
    case 'AlreadyCancelled':
      return new ApiError(409, 'already_cancelled', failure.message);
    case 'OutsideCustomerServiceWindow':
      return new ApiError(409, 'outside_customer_service_window', `${failure.message} (window closed at ${String(details.windowClosedAt)})`, details);
    default:
      return err;
  }
}
