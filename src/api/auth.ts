import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/database';
import { noteKeyUsed } from '../db/queries/api-key-queries';
import { activeApiKey } from '../db/queries/directory-queries';
import { activeIntegrationKey } from '../db/queries/onboarding-queries';
import { sessionByTokenHash, type VisitorSession } from '../db/queries/visitor-queries';
import { hashApiKey, type Role } from './api-keys';
import { ApiError, parse } from './api-errors';
import { idParam } from './request-schemas';

export interface AuthContext {
  orgId: string;
  role: Role;
  operatorId: string | null;
  keyId?: string;
}

export function bearer(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
  return match?.[1];
}

export function authenticate(db: Db): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = bearer(req);
    if (!key) throw new ApiError(401, 'unauthenticated', 'Send an API key as "Authorization: Bearer <key>"');
    const row = await activeApiKey(db, hashApiKey(key));
    if (!row) throw new ApiError(401, 'unauthenticated', 'The API key is not valid');
    const { lastUsedAt, ...auth } = row;
    if (!lastUsedAt || Date.now() - lastUsedAt.getTime() > 60_000) await noteKeyUsed(db, auth.keyId);
    res.locals.auth = auth satisfies AuthContext;
    next();
  };
}

/** A product of the organisation, by the integration key an admin issued it. */
export interface IntegrationContext {
  orgId: string;
  product: string;
  keyId: string;
}

/**
 * For the routes a product calls (F6): its integration key, never an organisation's API key, so the
 * admin asking to link an account cannot also be the product approving it.
 */
export function authenticateIntegration(db: Db): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = bearer(req);
    if (!key)
      throw new ApiError(
        401,
        'unauthenticated',
        'Send the product\'s integration key as "Authorization: Bearer <key>"',
      );
    const integration = await activeIntegrationKey(db, hashApiKey(key));
    if (integration) {
      res.locals.integration = { orgId: integration.orgId, product: integration.product, keyId: integration.id };
      return next();
    }
    if (await activeApiKey(db, hashApiKey(key))) {
      const why =
        "Only the product's integration key may do this (an admin issues one: POST /v1/business-accounts/integration-keys)";
      throw new ApiError(403, 'integration_key_required', why);
    }
    throw new ApiError(401, 'unauthenticated', 'The integration key is not valid');
  };
}

export function integrationOf(res: Response): IntegrationContext {
  const integration = res.locals.integration as IntegrationContext | undefined;
  if (!integration) throw new Error('integrationOf used on a route without authenticateIntegration()');
  return integration;
}

export function authOf(res: Response): AuthContext {
  const auth = res.locals.auth as AuthContext | undefined;
  if (!auth) throw new Error('authOf used on a route without authenticate()');
  return auth;
}

/** The visitor's own token opens only their own session. */
export function visitorAuth(db: Db): RequestHandler {
  return async (req, res, next) => {
    const { id } = parse(idParam, req.params, 'path');
    const token = bearer(req);
    const session = token ? await sessionByTokenHash(db, hashApiKey(token)) : undefined;
    if (!session || session.id !== id)
      throw new ApiError(401, 'unauthenticated', 'Send the visitor token of this session (it may have expired)');
    res.locals.session = session;
    next();
  };
}

export function visitorSessionOf(res: Response): VisitorSession {
  const session = res.locals.session as VisitorSession | undefined;
  if (!session) throw new Error('visitorSessionOf used on a route without visitorAuth()');
  return session;
}

export function requireAdmin(_req: Request, res: Response, next: NextFunction): void {
  if (authOf(res).role !== 'admin') throw new ApiError(403, 'forbidden', 'This action needs an admin API key');
  next();
}

/**
 * A shared secret from the configuration (bootstrap token, provider secret), compared in
 * constant time so it cannot be guessed byte by byte.
 */
export function requireBearerSecret(
  secret: string | undefined,
  variable: string,
  disabledCode: string,
): RequestHandler {
  return (req, _res, next) => {
    const given = Buffer.from(bearer(req) ?? '');
    const expected = Buffer.from(secret ?? '');
    if (!secret) throw new ApiError(403, disabledCode, `${variable} is not configured on this server`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ApiError(401, 'unauthenticated', `Send the ${variable} value as "Authorization: Bearer <secret>"`);
    }
    next();
  };
}

export const requireBootstrapToken = (token: string | undefined) =>
  requireBearerSecret(token, 'SWITCHBOARD_BOOTSTRAP_TOKEN', 'bootstrap_disabled');
