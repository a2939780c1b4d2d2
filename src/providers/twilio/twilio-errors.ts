/** What the twilio SDK throws for an HTTP answer (its RestException). */
interface TwilioRestError {
  status: number;
  code?: number;
  message: string;
}

const isRestError = (err: unknown): err is TwilioRestError =>
  typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';

/** Twilio answered and said no (a 4xx other than 429): asking again will not change the answer. */
export class TwilioRefusedError extends Error {
  override readonly name = 'TwilioRefusedError';
  constructor(
    message: string,
    readonly status: number,
    /** Twilio's error code (https://www.twilio.com/docs/errors/<code>), when it gave one. */
    readonly code?: number,
  ) {
    super(message);
  }
}

/** Twilio could not be reached, was overloaded (429) or failed (5xx): worth retrying later. */
export class TwilioUnavailableError extends Error {
  override readonly name = 'TwilioUnavailableError';
}

/** Turns whatever the SDK threw into one of the two errors above. */
export function twilioError(err: unknown): TwilioRefusedError | TwilioUnavailableError {
  if (err instanceof TwilioRefusedError || err instanceof TwilioUnavailableError) return err;
  if (isRestError(err) && err.status >= 400 && err.status < 500 && err.status !== 429) {
    return new TwilioRefusedError(err.message, err.status, err.code);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new TwilioUnavailableError(isRestError(err) ? `Twilio answered ${err.status}: ${message}` : message);
}

/** Runs one SDK call, throwing only the errors above. */
export async function callTwilio<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw twilioError(err);
  }
}

/** Twilio 404s mean "already gone" to a release. */
export const isNotFound = (err: unknown) => err instanceof TwilioRefusedError && err.status === 404;
