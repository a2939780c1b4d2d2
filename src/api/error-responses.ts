import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ErrorRequestHandler } from 'express';
import { FailureType } from '../contracts/failure-types';
import { creditsToPointsString } from '../domain/money';
import type { Logger } from '../logger';
import { TwilioMediaError } from '../providers/twilio/twilio-media';
import { WebhookTargetError } from '../providers/webhooks/webhook-targets';
import { TwilioRefusedError, TwilioUnavailableError } from '../providers/twilio/twilio-errors';
import { isDatabaseUnavailable, isUniqueViolation } from '../db/db-errors';
import { isTemporalUnavailable, isUpdateLimit } from '../workflow-client/temporal-errors';
import { ApiError, TooManyRequestsError } from './api-errors';

/** A workflow's refusal of an update, by its failure type, as the HTTP answer the caller can act on. */
function refusal(failure: ApplicationFailure): ApiError | undefined {
  const details = (failure.details?.[0] ?? {}) as Record<string, unknown>;
  const points = (credits: unknown) => creditsToPointsString(Number(credits));
  switch (failure.type as FailureType) {
    case FailureType.ConversationClosed:
      return new ApiError(409, 'conversation_closed', failure.message);
    case FailureType.CustomerWroteAgain:
      return new ApiError(409, 'customer_wrote_again', failure.message);
    case FailureType.InsufficientPoints: {
      const message = `Sending needs ${points(details.neededCredits)} points (1 message); the balance is ${points(details.balanceCredits)} points. Buy points or turn on auto-refill.`;
      return new ApiError(402, 'insufficient_points', message, details);
    }
    case FailureType.PaymentDeclined:
      return new ApiError(402, 'payment_declined', `The card was declined: ${failure.message}`, details);
    case FailureType.PaymentMethodRequired:
      return new ApiError(402, 'payment_method_required', failure.message);
    case FailureType.RequestNotPending:
      return new ApiError(409, 'request_not_pending', failure.message);
    case FailureType.NumberAlreadyRegistered:
      return new ApiError(409, 'number_already_registered', failure.message);
    case FailureType.NumberNotActive:
      return new ApiError(409, 'number_not_active', failure.message);
    case FailureType.AlreadyCancelled:
      return new ApiError(409, 'already_cancelled', failure.message);
    case FailureType.OutsideCustomerServiceWindow: {
      const message = `${failure.message} (window closed at ${String(details.windowClosedAt)})`;
      return new ApiError(409, 'outside_customer_service_window', message, details);
    }
    default:
      return undefined;
  }
}

/** Long enough for a restarting dependency, short enough for a desk to keep its user waiting. */
export const RETRY_AFTER_SECONDS = 5;

interface BodyParserError {
  type?: string;
  limit?: number;
}

/** Every failure that has an HTTP meaning, in one place; anything else is ours to fix (500). */
export function toApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return refusal(err.cause);
  if (isUpdateLimit(err)) {
    return new ApiError(
      429,
      'too_many_requests',
      'Too many requests for this conversation at once; retry in a few seconds',
    );
  }
  if (isTemporalUnavailable(err) || isDatabaseUnavailable(err)) {
    const dependency = isDatabaseUnavailable(err) ? 'database' : 'temporal';
    const message = `The ${dependency === 'database' ? 'database' : 'workflow engine'} is unavailable; retry shortly`;
    return new ApiError(503, 'temporarily_unavailable', message, { dependency });
  }
  if (err instanceof WebhookTargetError) return new ApiError(422, 'webhook_target_not_allowed', err.message);
  if (err instanceof TwilioMediaError) {
    if (err.reason === 'too_large') return new ApiError(413, 'attachment_too_large', err.message);
    if (err.reason === 'not_stored_with_twilio') return new ApiError(422, 'attachment_unavailable', err.message);
    return new ApiError(502, 'provider_unavailable', err.message);
  }
  if (err instanceof TwilioRefusedError) {
    const details = { providerErrorCode: err.code === undefined ? String(err.status) : String(err.code) };
    return new ApiError(502, 'provider_rejected', `Twilio refused the request: ${err.message}`, details);
  }
  if (err instanceof TwilioUnavailableError) {
    return new ApiError(502, 'provider_unavailable', `Twilio could not be reached; try again: ${err.message}`);
  }
  // The router's own refusal of a path segment it cannot percent-decode (`%E0%A4%A`), before any route ran.
  if (err instanceof URIError) return new ApiError(400, 'malformed_path', 'The path is not valid percent-encoding');
  const parser = err as BodyParserError;
  if (parser.type === 'entity.too.large')
    return new ApiError(413, 'payload_too_large', `Request body exceeds ${parser.limit} bytes`);
  if (parser.type === 'parameters.too.many')
    return new ApiError(413, 'payload_too_large', 'Request body has more form fields than any webhook sends');
  if (parser.type === 'entity.parse.failed')
    return new ApiError(400, 'malformed_body', 'Request body is not valid JSON');
  if (parser.type?.startsWith('charset') || parser.type === 'encoding.unsupported') {
    return new ApiError(415, 'unsupported_encoding', 'Request body encoding is not supported');
  }
  return undefined;
}

/** A workflow of that ID is already running (a purchase, an onboarding request): the route says what that means. */
export const ifAlreadyStarted =
  (meaning: ApiError) =>
  (err: unknown): never => {
    throw err instanceof WorkflowExecutionAlreadyStartedError ? meaning : err;
  };

/** What a missing workflow means depends on the route (a closed chat, a decided request): it says. */
export const ifWorkflowMissing =
  (meaning: ApiError) =>
  (err: unknown): never => {
    throw err instanceof WorkflowNotFoundError ? meaning : err;
  };

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let error = toApiError(err);
    if (!error) {
      logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
      error = new ApiError(500, 'internal_error', 'Something went wrong on our side; it has been logged');
    }
    // Outages and rate limits pass: say when to try again (Twilio, browsers and clients all read it). A
    // rate limiter knows when its window ends.
    if (error.status === 503 || error.status === 429) {
      const seconds = error instanceof TooManyRequestsError ? error.retryAfterSeconds : RETRY_AFTER_SECONDS;
      res.setHeader('Retry-After', String(seconds));
    }
    // For the metrics that count answers by their code (src/api/http-metrics.ts).
    res.locals.errorCode = error.code;
    // The request's id, so a client reporting the error points at its log lines and workflow calls.
    const requestId = res.locals.requestId as string | undefined;
    res.status(error.status).json({ error: { code: error.code, message: error.message, ...error.details, requestId } });
  };
}

/** A unique index said no: the thing already exists. */
export const ifDuplicate =
  (meaning: ApiError) =>
  (err: unknown): never => {
    throw isUniqueViolation(err) ? meaning : err;
  };
