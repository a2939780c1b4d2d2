import type { Db, Tx } from '../db/database';
import { channelOf } from '../db/queries/channel-queries';
import { isDepartmentLinkedToBrand, unknownBrands, unknownDepartments } from '../db/queries/directory-queries';
import { ApiError } from './api-errors';

/** F5: nothing on the WhatsApp channel happens before the admin's consent. */
export async function requireConsent(tx: Tx, orgId: string): Promise<void> {
  if (!(await channelOf(tx, orgId))) {
    const message =
      'Create the WhatsApp channel first: POST /v1/whatsapp/channel with the consent to Twilio as intermediary';
    throw new ApiError(409, 'consent_required', message);
  }
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
