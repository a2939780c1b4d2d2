import type { Tx } from '../../db/database';
import type { PageRequest } from '../../db/queries/keyset-pages';
import { byId, numbersPage, numbersWithBrand, ofOrg } from '../../db/queries/number-queries';
import { centsToUsdString } from '../../domain/money';

type Row = Pick<Awaited<ReturnType<typeof numbersWithBrand>>[number], 'number' | 'brandName' | 'enabled'>;

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

/** GET /v1/whatsapp/numbers: a page of the organisation's numbers, oldest first. */
export async function numbersPageView(tx: Tx, orgId: string, page: PageRequest) {
  const { items, nextCursor } = await numbersPage(tx, orgId, page);
  return { numbers: items.map(numberView), nextCursor };
}

export const orgNumberViews = async (tx: Tx, orgId: string) =>
  (await numbersWithBrand(tx, ofOrg(orgId))).map(numberView);
export const numberViewById = async (tx: Tx, numberId: string) =>
  numberView((await numbersWithBrand(tx, byId(numberId)))[0]!);
