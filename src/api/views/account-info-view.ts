import type { Tx } from '../../db/database';
import { consentOf } from '../../db/queries/channel-queries';
import { settingsOf } from '../../db/queries/settings-queries';
import { subaccountState } from '../../db/queries/subaccount-queries';
import { orgNumberViews } from './number-view';
import { onboardingView } from './onboarding-view';
import { settingsView } from './settings-view';

/** The subaccount Twilio acts in for the organisation: never its token. */
async function twilioAccountView(tx: Tx, orgId: string) {
  const state = await subaccountState(tx, orgId);
  return state && { sid: state.account?.accountSid ?? null, status: state.status, reason: state.reason };
}

/**
 * F11: the account info page — consent, the organisation's Twilio subaccount, the Business Manager link and
 * its history, numbers, settings.
 */
export async function accountInfoView(tx: Tx, orgId: string) {
  const numbers = (await orgNumberViews(tx, orgId)).map((n) => ({
    id: n.id,
    phoneNumber: n.phoneNumber,
    status: n.status,
    statusReason: n.statusReason,
    source: n.source,
    brandId: n.brandId,
    departmentId: n.departmentId,
    subscription: n.subscription,
    brands: n.brands,
  }));
  return {
    channel: {
      consent: await consentOf(tx, orgId),
      twilioAccount: await twilioAccountView(tx, orgId),
      onboarding: await onboardingView(tx, orgId),
      numbers,
      settings: settingsView(await settingsOf(tx, orgId)),
    },
  };
}
