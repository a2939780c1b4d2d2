/** `twilio-subaccount:<orgId>`: makes the organisation's Twilio subaccount once its channel exists. */
export const subaccountWorkflowId = (orgId: string) => `twilio-subaccount:${orgId}`;

export const SUBACCOUNT_STATUSES = ['creating', 'active', 'failed'] as const;
export type SubaccountStatus = (typeof SUBACCOUNT_STATUSES)[number];

export interface SubaccountInput {
  orgId: string;
}

export type SubaccountOutcome = { accountSid: string } | { refused: string };

/** The workflow's type name: never rename it. */
export const subaccountWorkflowType = 'subaccountWorkflow';
export type SubaccountWorkflow = (input: SubaccountInput) => Promise<SubaccountOutcome>;

export interface SubaccountActivities {
  /**
   * The organisation's subaccount: the one already kept, or one an earlier attempt made (its answer lost,
   * found at Twilio by name), or a new one; its credentials are kept sealed before this returns.
   */
  openSubaccount(input: SubaccountInput): Promise<{ accountSid: string }>;
  /** Twilio refused to make it: the channel shows why, and consenting again tries anew. */
  noteSubaccountRefused(input: SubaccountInput & { reason: string }): Promise<void>;
}
