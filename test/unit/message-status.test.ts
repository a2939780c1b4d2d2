import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_STATUSES } from '../../src/domain/message-status';
import { fromTwilioStatus, latestStatus, statusesBelow, statusRank } from '../../src/domain/message-status';

describe('delivery status ordering', () => {
  it('follows queued → sent → delivered → read', () => {
    const path = ['queued', 'sending', 'sent', 'delivered', 'read'] as const;
    for (let i = 1; i < path.length; i++) expect(statusRank(path[i]!)).toBeGreaterThan(statusRank(path[i - 1]!));
  });

  it('lets a failure replace sent but never delivered or read', () => {
    expect(statusesBelow('failed')).toContain('sent');
    expect(statusesBelow('undelivered')).not.toContain('delivered');
    expect(statusesBelow('failed')).not.toContain('read');
  });

  it('never lets a status replace itself or a later one, whatever the order callbacks arrive in', () => {
    const status = fc.constantFrom(...MESSAGE_STATUSES);
    fc.assert(
      fc.property(fc.array(status, { minLength: 1, maxLength: 12 }), (arrivals) => {
        let current: (typeof MESSAGE_STATUSES)[number] = 'pending';
        for (const next of arrivals) if (statusesBelow(next).includes(current)) current = next;
        expect(statusRank(current)).toBe(Math.max(statusRank('pending'), ...arrivals.map(statusRank)));
      }),
    );
  });

  it("maps Twilio's statuses and ignores ones it does not know", () => {
    expect(fromTwilioStatus('accepted')).toBe('queued');
    expect(fromTwilioStatus('canceled')).toBe('failed');
    expect(fromTwilioStatus('read')).toBe('read');
    expect(fromTwilioStatus('teleported')).toBeUndefined();
    expect(latestStatus(['sent', 'read', 'delivered'])).toBe('read');
  });
});
