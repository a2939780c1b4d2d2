import { ServiceError } from '@temporalio/client';
import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { requireBearerSecret } from '../../src/api/auth';
import { ApiError } from '../../src/api/api-errors';
import { toApiError } from '../../src/api/error-responses';
import { TwilioRefusedError, TwilioUnavailableError } from '../../src/providers/twilio/twilio-errors';
import { TwilioMediaError } from '../../src/providers/twilio/twilio-media';

const requestWith = (authorization?: string) =>
  ({ header: (name: string) => (name === 'authorization' ? authorization : undefined) }) as unknown as Request;
const refusalOf = (fn: () => void): ApiError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('shared-secret routes', () => {
  const guard = requireBearerSecret('provider-secret-0123456789', 'SWITCHBOARD_PROVIDER_SECRET', 'provider_disabled');
  const run = (g: typeof guard, authorization?: string) => () =>
    g(requestWith(authorization), {} as Response, () => {});

  it('answers 403 provider_disabled when the server has no secret configured', () => {
    const unconfigured = requireBearerSecret(undefined, 'SWITCHBOARD_PROVIDER_SECRET', 'provider_disabled');
    const refusal = refusalOf(run(unconfigured, 'Bearer anything-at-all'));
    expect([refusal.status, refusal.code]).toEqual([403, 'provider_disabled']);
    expect(refusal.message).toContain('SWITCHBOARD_PROVIDER_SECRET');
  });

  it('answers 401 to a missing or wrong secret and lets the right one through', () => {
    expect(refusalOf(run(guard)).status).toBe(401);
    expect(refusalOf(run(guard, 'Bearer provider-secret-0123456780')).status).toBe(401);
    let passed = false;
    guard(requestWith('Bearer provider-secret-0123456789'), {} as Response, () => (passed = true));
    expect(passed).toBe(true);
  });
});

describe('Temporal refusals as HTTP answers', () => {
  it("turns the server's in-flight update limit into 429 too_many_requests", () => {
    const grpc = Object.assign(new Error('limit on number of concurrent in-flight updates has been reached (10)'), {
      code: 8,
      details: 'limit reached',
      metadata: {},
    });
    const mapped = toApiError(new ServiceError('Workflow Update failed', { cause: grpc }));
    expect([mapped?.status, mapped?.code]).toEqual([429, 'too_many_requests']);
  });

  it("turns the server's cap on a run's total updates into 429: the run continues as new and takes the retry", () => {
    const message = 'The limit on the total number of distinct updates in this workflow has been reached (2000).';
    const grpc = Object.assign(new Error(message), { code: 9, details: message, metadata: {} });
    const mapped = toApiError(new ServiceError('Workflow Update failed', { cause: grpc }));
    expect([mapped?.status, mapped?.code]).toEqual([429, 'too_many_requests']);
  });

  it('turns an unreachable or too slow Temporal into 503 temporarily_unavailable', () => {
    for (const code of [14, 4]) {
      const grpc = Object.assign(new Error('down'), { code, details: 'down', metadata: {} });
      const mapped = toApiError(new ServiceError('Failed to signal Workflow', { cause: grpc }));
      expect([mapped?.status, mapped?.code, mapped?.details]).toEqual([
        503,
        'temporarily_unavailable',
        { dependency: 'temporal' },
      ]);
    }
  });

  it('leaves other service errors alone, to be logged as faults', () => {
    const grpc = Object.assign(new Error('internal'), { code: 13, details: 'internal', metadata: {} });
    const err = new ServiceError('Workflow Update failed', { cause: grpc });
    expect(toApiError(err)).toBeUndefined();
  });
});

describe('provider failures as HTTP answers', () => {
  const answer = (err: unknown) => {
    const mapped = toApiError(err);
    return [mapped?.status, mapped?.code, mapped?.details];
  };

  it('tells a refusal from an outage: Twilio said no (502 provider_rejected, with its code) or could not be reached', () => {
    expect(answer(new TwilioRefusedError('Country not served', 404, 20404))).toEqual([
      502,
      'provider_rejected',
      { providerErrorCode: '20404' },
    ]);
    expect(answer(new TwilioUnavailableError('Twilio answered 503'))).toEqual([502, 'provider_unavailable', undefined]);
  });

  it("answers a customer's attachment by what went wrong fetching it", () => {
    expect(answer(new TwilioMediaError('too_large', 'too big'))[1]).toBe('attachment_too_large');
    expect(answer(new TwilioMediaError('not_stored_with_twilio', 'elsewhere'))[1]).toBe('attachment_unavailable');
    expect(answer(new TwilioMediaError('unreachable', 'down'))[1]).toBe('provider_unavailable');
  });
});
