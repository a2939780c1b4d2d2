import pino from 'pino';
import { currentCorrelation } from './correlation';

export type Logger = pino.Logger;

/**
 * An HTTP client's error (axios, under the twilio SDK) carries the request it made: its `config` and
 * `request` hold the `Authorization: Basic …` header, i.e. the account's credentials. Logged errors keep
 * what went wrong and lose how it was asked, at the top level and one cause down.
 */
const REQUEST_DETAILS = ['config', 'request', 'response'].flatMap((field) => [`err.${field}`, `err.cause.${field}`]);

export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  name = 'switchboard',
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      name,
      level,
      redact: { paths: REQUEST_DETAILS, remove: true },
      // Every line names the request (or activity) it was written for, whichever logger wrote it. A copy:
      // pino assigns the line's own fields onto what this returns.
      mixin: () => ({ ...currentCorrelation() }),
    },
    destination,
  );
}
