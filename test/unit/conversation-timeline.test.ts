import { describe, expect, it } from 'vitest';
import { nextClose, serviceWindowEnd, type ConversationState } from '../../src/domain/conversation-timeline';

const base: ConversationState = {
  status: 'open',
  operatorId: 'op',
  closeReason: null,
  firstInboundAt: '2026-11-24T10:00:00.000Z',
  lastInboundAt: '2026-11-24T10:05:00.000Z',
  lastActivityAt: '2026-11-24T10:05:00.000Z',
  answered: false,
};
const policy = { unattendedSeconds: 600, idleSeconds: 3600, closingNotice: null };

describe('when a conversation closes by itself', () => {
  it('counts the unattended limit from the first message, not the latest', () => {
    expect(nextClose(base, policy)).toEqual({
      reason: 'unattended_timeout',
      at: Date.parse('2026-11-24T10:10:00.000Z'),
    });
  });

  it('counts idleness from the last message either way once answered', () => {
    expect(nextClose({ ...base, answered: true, lastActivityAt: '2026-11-24T11:00:00.000Z' }, policy)).toEqual({
      reason: 'inactive',
      at: Date.parse('2026-11-24T12:00:00.000Z'),
    });
  });

  it('has no deadline before the customer has written', () => {
    expect(nextClose({ ...base, firstInboundAt: null, lastActivityAt: null }, policy)).toBeUndefined();
  });
});

describe("WhatsApp's 24-hour window", () => {
  it('ends exactly 24 hours after the customer last wrote', () => {
    expect(serviceWindowEnd(base)).toBe(Date.parse('2026-11-25T10:05:00.000Z'));
  });

  it('is closed when the customer never wrote', () => {
    expect(serviceWindowEnd({ lastInboundAt: null })).toBe(0);
  });
});
