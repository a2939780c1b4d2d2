import type { Db, Tx } from '../db/database';
import { channelOf } from '../db/queries/channel-queries';
import { isDepartmentLinkedToBrand, unknownBrands, unknownDepartments } from '../db/queries/directory-queries';
import { subaccountState } from '../db/queries/subaccount-queries';
import type { TenantAccounts } from '../providers/twilio/sealed-credentials';
import type { TwilioAccount } from '../providers/twilio/twilio-account';
import { ApiError } from './api-errors';

/** F5: nothing on the WhatsApp channel happens before the admin's consent. */
export async function requireConsent(tx: Tx, orgId: string): Promise<void> {
  if (!(await channelOf(tx, orgId))) {
    const message =
      'Create the WhatsApp channel first: POST /v1/whatsapp/channel with the consent to Twilio as intermediary';
    throw new ApiError(409, 'consent_required', message);
  }
}

/** Everything Twilio does for the organisation happens in its own subaccount, made after consent. */
export async function requireTwilioAccount(tx: Tx, accounts: TenantAccounts, orgId: string): Promise<TwilioAccount> {
  await requireConsent(tx, orgId);
  const state = await subaccountState(tx, orgId);
  if (state?.account) return accounts.open(state.account);
  const why =
    state?.status === 'failed'
      ? `Twilio refused to create the organisation's subaccount (${state.reason}); POST /v1/whatsapp/channel again to retry`
      : "The organisation's Twilio subaccount is still being created; try again shortly (GET /v1/whatsapp/channel)";
  throw new ApiError(409, 'twilio_account_not_ready', why, { twilioAccountStatus: state?.status ?? 'creating' });
}

/** F10: both must be this organisation's, and the department must serve the brand. */
export async function checkAssociation(db: Db, orgId: string, brandId: string, departmentId: string) {
  if ((await unknownBrands(db, orgId, [brandId])).length)
    throw new ApiError(404, 'brand_not_found', `Unknown brand ${brandId}`);
  if ((await unknownDepartments(db, orgId, [departmentId])).length) {
    throw new ApiError(404, 'department_not_found', `Unknown department ${departmentId}`);
  }
  if (!(await isDepartmentLinkedToBrand(db, departmentId, brandId))) {
    throw new ApiError(
      422,
      'department_not_linked_to_brand',
      'The department does not serve this brand; link them first',
    );
  }
}
