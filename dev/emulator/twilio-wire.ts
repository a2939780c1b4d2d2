import { randomBytes } from 'node:crypto';
import express, { type RequestHandler, type Response } from 'express';

/** Twilio SIDs: a two-letter prefix and 32 hex digits. */
export const newSid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

/** Twilio's REST API writes dates in RFC 2822. */
export const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

/** Twilio's error body: the SDK turns it into a RestException carrying `code`. */
export function twilioError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

export const E164 = /^\+[1-9]\d{7,14}$/;

export function withWhatsApp(address: string): string {
  return address.startsWith('whatsapp:') ? address : `whatsapp:${address}`;
}

/** Parses a JSON body; a malformed one is answered with Twilio's error body, not Express's HTML page. */
export function jsonBody(code: number): RequestHandler {
  const parse = express.json();
  return (req, res, next) =>
    parse(req, res, (err?: unknown) =>
      err ? twilioError(res, 400, code, 'The request body is not valid JSON') : next(),
    );
}

/** Twilio's paging envelope around one page of `rows` under `key`; the emulator never has a second page. */
export function onePage<T>(key: string, rows: T[], uri: string, pageSize: number) {
  return {
    [key]: rows,
    uri,
    first_page_uri: uri,
    next_page_uri: null,
    previous_page_uri: null,
    page: 0,
    page_size: pageSize,
    start: 0,
    end: Math.max(0, rows.length - 1),
  };
}
