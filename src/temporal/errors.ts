import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { creditsToPointsString } from '../domain/money';
import { ApiError } from '../http/errors';

/** Turns a workflow's refusal of an update into the HTTP answer the caller can act on. */
export function updateRefusalToApiError(err: unknown): unknown {
  if (err instanceof WorkflowNotFoundError) {
    return new ApiError(409, 'conversation_closed', 'The conversation is closed');
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
    case 'OutsideCustomerServiceWindow':
      return new ApiError(409, 'outside_customer_service_window', `${failure.message} (window closed at ${String(details.windowClosedAt)})`, details);
    default:
      return err;
  }
}
