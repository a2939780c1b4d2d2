import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../database';
import { conversations, messages, whatsappChannels } from '../schema';

const stored = {
  orgId: whatsappChannels.orgId,
  accountSid: whatsappChannels.twilioAccountSid,
  authTokenSealed: whatsappChannels.twilioAuthTokenSealed,
};

/** A tenant's subaccount with the organisation it belongs to: credentials sealed, status said. */
export interface OrgSubaccount {
  orgId: string;
  accountSid: string;
  authTokenSealed: string;
}

const ready = (row: { orgId: string; accountSid: string | null; authTokenSealed: string | null } | undefined) =>
  row?.accountSid && row.authTokenSealed ? (row as OrgSubaccount) : undefined;

/** Where the organisation's subaccount is: its status, the refusal's reason, and once active its credentials. */
export async function subaccountState(tx: Tx, orgId: string) {
  const [row] = await tx
    .select({ ...stored, status: whatsappChannels.twilioAccountStatus, reason: whatsappChannels.twilioAccountReason })
    .from(whatsappChannels)
    .where(eq(whatsappChannels.orgId, orgId));
  return row && { status: row.status, reason: row.reason, account: ready(row) };
}

/** Which organisation a webhook's AccountSid belongs to, and the token its signature was made with. */
export async function subaccountBySid(tx: Tx, accountSid: string): Promise<OrgSubaccount | undefined> {
  const [row] = await tx.select(stored).from(whatsappChannels).where(eq(whatsappChannels.twilioAccountSid, accountSid));
  return ready(row);
}

/** The subaccount a message was (or is to be) sent from: its conversation's organisation's. */
export async function subaccountOfMessage(tx: Tx, messageId: string): Promise<OrgSubaccount | undefined> {
  const [row] = await tx
    .select(stored)
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(whatsappChannels, eq(whatsappChannels.orgId, conversations.orgId))
    .where(eq(messages.id, messageId));
  return ready(row);
}

/** Keeps the subaccount once; a second save (a retried activity) leaves the first standing. */
export async function saveSubaccount(tx: Tx, orgId: string, account: { accountSid: string; authTokenSealed: string }) {
  await tx
    .update(whatsappChannels)
    .set({
      twilioAccountStatus: 'active',
      twilioAccountSid: account.accountSid,
      twilioAuthTokenSealed: account.authTokenSealed,
      twilioAccountReason: null,
    })
    .where(and(eq(whatsappChannels.orgId, orgId), isNull(whatsappChannels.twilioAccountSid)));
}

/** Twilio refused: the admin sees why; consenting again sets it back to creating. */
export async function markSubaccount(tx: Tx, orgId: string, status: 'creating' | 'failed', reason: string | null) {
  await tx
    .update(whatsappChannels)
    .set({ twilioAccountStatus: status, twilioAccountReason: reason })
    .where(and(eq(whatsappChannels.orgId, orgId), isNull(whatsappChannels.twilioAccountSid)));
}

/** Every organisation's subaccount: what a local emulator, which keeps nothing, must know again at start. */
export async function allSubaccounts(tx: Tx): Promise<OrgSubaccount[]> {
  const rows = await tx.select(stored).from(whatsappChannels).where(eq(whatsappChannels.twilioAccountStatus, 'active'));
  return rows.flatMap((row) => ready(row) ?? []);
}
