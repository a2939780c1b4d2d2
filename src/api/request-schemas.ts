import { z } from 'zod';
import { CLOSE_LIMITS } from '../domain/policies';

export const uuid = z.uuid({ message: 'must be a UUID' });
export const name = z.string().trim().min(1, 'must not be empty').max(120, 'at most 120 characters');
export const e164 = z.string().regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 phone number such as +14155550100');
export const idParam = z.object({ id: uuid });
/** Meta's WhatsApp Business Account ID, which an approval carries and senders are registered under. */
export const wabaId = z.string().regex(/^\d{5,20}$/, 'must be a WhatsApp Business Account ID (5 to 20 digits)');
/** A client's key for one request: a retry with the same key is the same request. */
export const idempotencyKey = z.string().regex(/^[\w.:-]{8,128}$/, '8-128 letters, digits, _ . : -');

/** Seconds within the limits an admin may set (also per number). */
export const closeLimit = (name: keyof typeof CLOSE_LIMITS) => {
  const { min, max } = CLOSE_LIMITS[name];
  const message = `must be between ${min} and ${max} seconds`;
  return z.number().int().min(min, message).max(max, message);
};
