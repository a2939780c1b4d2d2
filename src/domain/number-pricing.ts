import { centsToUsdString } from './money';

export const NUMBER_TYPES = ['toll_free', 'local', 'mobile'] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

/** What a WhatsApp number's monthly subscription costs, in integer cents, by number type. */
export const MONTHLY_PRICE_CENTS: Record<NumberType, number> = {
  local: 150,
  mobile: 200,
  toll_free: 250,
};

export const monthlyPrice = (type: NumberType) => ({
  cents: MONTHLY_PRICE_CENTS[type],
  usd: centsToUsdString(MONTHLY_PRICE_CENTS[type]),
});
