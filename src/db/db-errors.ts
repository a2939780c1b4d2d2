/** The driver's error code, whether or not drizzle wrapped the error. */
const codeOf = (err: unknown): string | undefined => {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Postgres unique_violation. */
export const isUniqueViolation = (err: unknown): boolean => codeOf(err) === '23505';

/**
 * PostgreSQL could not be reached or is shutting down, starting up, full or too slow (statement
 * timeout): asking again shortly may work, so callers answer 503 rather than fail.
 */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08006', // connection_failure
  '53300', // too_many_connections
  '57014', // query_canceled (statement_timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);

export const isDatabaseUnavailable = (err: unknown): boolean => UNAVAILABLE.has(codeOf(err) ?? '');

/**
 * Runs `work` again while PostgreSQL is unavailable (a restart refuses connections for a second or two),
 * pausing 100 ms, then twice as long up to a second, for as long as a retry could still end before
 * `deadline` (epoch ms). Only for work that is safe to repeat: a lost connection leaves its commit unknown.
 */
export async function retryWhileDatabaseUnavailable<T>(work: () => Promise<T>, deadline: number): Promise<T> {
  for (let pause = 100; ; pause = Math.min(pause * 2, 1000)) {
    try {
      return await work();
    } catch (err) {
      if (!isDatabaseUnavailable(err) || Date.now() + pause >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
