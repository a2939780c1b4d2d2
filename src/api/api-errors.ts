import { z } from 'zod';

/** An error a client can act on: its code is stable and documented, its message says what to do. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** 429: the client learns what was limited from the message, and when to try again from `Retry-After`. */
export class TooManyRequestsError extends ApiError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too_many_requests', message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

/** Parses a request part with a zod schema; a failure names each bad field. */
export function parse<T extends z.ZodType>(schema: T, value: unknown, where = 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({ field: i.path.join('.') || where, message: i.message }));
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  throw new ApiError(400, 'validation_failed', `Invalid ${where}: ${summary}`, { fields });
}
