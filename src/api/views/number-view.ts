import type { Tx } from '../../db/database';
import { byId, numbersWithBrand, ofOrg } from '../../db/queries/number-queries';
import { centsToUsdString } from '../../domain/money';

type Row = Awaited<ReturnType<typeof numbersWithBrand>>[number];

/** F13/F15: a number as the numbers page shows it — subscription, where provisioning is, its brand with its switch. */
function numberView({ number: n, brandName, enabled }: Row) {
  return {
    ...n,
    phoneNumber: n.e164,
    subscription:
      n.source === 'purchased'
        ? {
            state: n.subscriptionState,
            expiresAt: n.subscriptionExpiresAt,
            monthlyPriceUsd: n.monthlyPriceCents === null ? null : centsToUsdString(n.monthlyPriceCents),
            renewsAutomatically: n.status === 'active' && n.subscriptionState !== 'cancelled',
          }
        : null,
    brands: n.brandId && brandName !== null ? [{ brandId: n.brandId, name: brandName, enabled: enabled ?? true }] : [],
  };
}

export const orgNumberViews = async (tx: Tx, orgId: string) =>
  (await numbersWithBrand(tx, ofOrg(orgId))).map(numberView);
export const numberViewById = async (tx: Tx, numberId: string) =>
  numberView((await numbersWithBrand(tx, byId(numberId)))[0]!);
