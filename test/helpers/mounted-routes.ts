import type { Express } from 'express';
import { createApp } from '../../src/api/app';
import { createLogger } from '../../src/logger';
import { SECRETS_KEY, type Harness } from './use-harness';

/** What router 2.x keeps of each layer: enough to list what an app routes, as Express matches requests. */
interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle: { stack?: Layer[] };
}

/** A path under its mount point, without a trailing slash (Express matches both). */
const under = (prefix: string, path: unknown): string => {
  // A regular expression or a list of paths would need a row per match; none is used, so say so if one appears.
  if (typeof path !== 'string') throw new Error(`Cannot name the route mounted on ${String(path)} under ${prefix}`);
  return `${prefix}${path}`.replace(/\/+$/, '');
};

/**
 * Every `METHOD /path` the app mounts: its routes, and those of every router mounted in it, under the
 * prefix each was mounted on. Middleware (body parsers, authentication, the 404 fallback) routes nothing.
 */
export function mountedRoutes(app: Express): string[] {
  const routes = new Set<string>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = under(prefix, layer.route.path) || '/';
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) routes.add(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${path}`);
        }
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, under(prefix, layer.rawPath));
      }
    }
  };
  walk(app.router.stack as Layer[], '');
  return [...routes].sort();
}

/** Every route the harness's app mounts: an app built as the harness builds it, walked. */
export const harnessRoutes = (h: Harness): string[] =>
  mountedRoutes(
    createApp({
      db: h.database.db,
      sql: h.database.sql,
      temporal: h.temporal,
      taskQueue: h.taskQueue,
      logger: createLogger('silent'),
      publicBaseUrl: h.apiUrl,
      twilio: h.subaccounts,
      secretsKey: SECRETS_KEY,
    }),
  );
