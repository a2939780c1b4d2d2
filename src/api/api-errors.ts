import type { ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { Logger } from '../logger';

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

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

/** Parses a request part with a zod schema; a failure names each bad field. */
export function parse<T extends z.ZodType>(schema: T, value: unknown, where = 'body'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues.map((i) => ({ field: i.path.join('.') || where, message: i.message }));
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  throw new ApiError(400, 'validation_failed', `Invalid ${where}: ${summary}`, { fields });
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let error: ApiError;
    const parserError = err as BodyParserError;
    if (err instanceof ApiError) {
      error = err;
    } else if (parserError.type === 'entity.too.large') {
      error = new ApiError(413, 'payload_too_large', `Request body exceeds ${parserError.limit} bytes`);
    } else if (parserError.type === 'entity.parse.failed') {
      error = new ApiError(400, 'malformed_body', 'Request body is not valid JSON');
    } else if (parserError.type?.startsWith('charset') || parserError.type === 'encoding.unsupported') {
      error = new ApiError(415, 'unsupported_encoding', 'Request body encoding is not supported');
    } else {
      logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
      error = new ApiError(500, 'internal_error', 'Something went wrong on our side; it has been logged');
    }
    res.status(error.status).json({ error: { code: error.code, message: error.message, ...error.details } });
  };
}

export { isUniqueViolation } from '../db/unique-violation';
