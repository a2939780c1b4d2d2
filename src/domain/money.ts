/**
 * Money and points, in integers only. 1 credit = 1 message = USD 0.005; 1 point = 400 credits =
 * USD 2.00. Credits are the unit of account; points and dollars are ways of showing them.
 */
export const CREDITS_PER_POINT = 400;
export const CENTS_PER_POINT = 200;
export const CREDITS_PER_MESSAGE = 1;

export const pointsToCredits = (points: number): number => points * CREDITS_PER_POINT;
export const pointsToCents = (points: number): number => points * CENTS_PER_POINT;

function decimal(whole: bigint, fraction: bigint, digits: number): string {
  const frac = fraction.toString().padStart(digits, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** Exact: a credit is 1/400 point = 0.0025, so four decimal places always suffice. */
export function creditsToPointsString(credits: number): string {
  const c = BigInt(credits);
  const sign = c < 0n ? '-' : '';
  const abs = c < 0n ? -c : c;
  return sign + decimal(abs / 400n, (abs % 400n) * 25n, 4);
}

/** Exact US dollars with at least two decimals: a credit is USD 0.005. */
export function creditsToUsdString(credits: number): string {
  const c = BigInt(credits);
  const sign = c < 0n ? '-' : '';
  const abs = c < 0n ? -c : c;
  const tenthsOfCents = abs * 5n;
  const text = decimal(tenthsOfCents / 1000n, tenthsOfCents % 1000n, 3);
  const [whole, frac = ''] = text.split('.');
  return `${sign}${whole}.${frac.padEnd(2, '0')}`;
}

export const centsToUsdString = (cents: number): string => creditsToUsdString(cents * 2);
