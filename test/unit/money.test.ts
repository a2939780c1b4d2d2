import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  centsToUsdString,
  creditsToPointsString,
  creditsToUsdString,
  pointsToCents,
  pointsToCredits,
} from '../../src/domain/money';

describe('points, credits and dollars (F14)', () => {
  it('prices one point at 400 messages and USD 2.00', () => {
    expect(pointsToCredits(1)).toBe(400);
    expect(pointsToCents(1)).toBe(200);
    expect(creditsToUsdString(1)).toBe('0.005');
    expect(creditsToUsdString(400)).toBe('2.00');
    expect(centsToUsdString(1999)).toBe('19.99');
  });

  it('shows balances in points exactly', () => {
    expect(creditsToPointsString(0)).toBe('0');
    expect(creditsToPointsString(1)).toBe('0.0025');
    expect(creditsToPointsString(399)).toBe('0.9975');
    expect(creditsToPointsString(1000)).toBe('2.5');
    expect(creditsToPointsString(-1)).toBe('-0.0025');
  });

  it('round-trips every credit count through its points string without loss', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (credits) => {
        const points = creditsToPointsString(credits);
        expect(points).toMatch(/^-?\d+(\.\d{1,4})?$/);
        const [whole, frac = ''] = points.replace('-', '').split('.');
        const back = BigInt(whole!) * 400n + (BigInt(frac.padEnd(4, '0')) * 400n) / 10000n;
        expect(back * (points.startsWith('-') ? -1n : 1n)).toBe(BigInt(credits));
      }),
    );
  });

  it('shows dollars with at least cents and never rounds a credit away', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (credits) => {
        const usd = creditsToUsdString(credits);
        expect(usd).toMatch(/^\d+\.\d{2,3}$/);
        const [whole, frac] = usd.split('.');
        expect(BigInt(whole!) * 1000n + BigInt(frac!.padEnd(3, '0'))).toBe(BigInt(credits) * 5n);
      }),
    );
  });
});
