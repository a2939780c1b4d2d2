import type { Request, RequestHandler, Response } from 'express';
import { rateLimit, type AugmentedRequest } from 'express-rate-limit';
import { DEFAULT_VISITOR_RATE_LIMITS, type VisitorRateLimits } from '../domain/policies';
import type { Logger } from '../logger';
import { TooManyRequestsError } from './api-errors';
import { visitorSessionOf } from './auth';

const WINDOW_MS = 60_000;

export interface VisitorLimiters {
  /** First, before the token is looked up: a bad or unknown token counts too, so guessing is limited. */
  perAddress: RequestHandler;
  /** After the token opened its session: that session's posts, and its polls. */
  posts: RequestHandler;
  polls: RequestHandler;
}

/**
 * Counts per key in a fixed one-minute window, in this process's memory: a client spread over N api
 * replicas may get up to N times the limit (sharing the counts would take a table or another service).
 */
function limiter(
  limit: number,
  what: string,
  logger: Logger,
  keyGenerator?: (req: Request, res: Response) => string,
): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit,
    // The error handler answers the 429 with our JSON error and Retry-After, as for every other refusal.
    standardHeaders: false,
    legacyHeaders: false,
    // Unset, the client's address (IPv6 by its /56, which one subscriber usually holds whole).
    keyGenerator,
    // Its warnings (X-Forwarded-For arriving while TRUST_PROXY is unset, say) belong in our log.
    logger,
    handler: (req, _res, next) => {
      const resetAt = (req as AugmentedRequest).rateLimit?.resetTime?.getTime() ?? Date.now() + WINDOW_MS;
      const seconds = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
      next(new TooManyRequestsError(`Too many ${what}: at most ${limit} a minute; retry in ${seconds} s`, seconds));
    },
  });
}

/** The limits given (a deployment's, a test's), the defaults for the rest. */
export function visitorLimiters(given: Partial<VisitorRateLimits>, logger: Logger): VisitorLimiters {
  const {
    postsPerSession = DEFAULT_VISITOR_RATE_LIMITS.postsPerSession,
    pollsPerSession = DEFAULT_VISITOR_RATE_LIMITS.pollsPerSession,
    requestsPerAddress = DEFAULT_VISITOR_RATE_LIMITS.requestsPerAddress,
  } = given;
  const bySession = (_req: Request, res: Response) => visitorSessionOf(res).id;
  return {
    perAddress: limiter(requestsPerAddress, 'visitor requests from this address', logger),
    posts: limiter(postsPerSession, 'messages posted in this visitor session', logger, bySession),
    polls: limiter(pollsPerSession, 'polls of this visitor session', logger, bySession),
  };
}
