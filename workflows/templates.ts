import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { WhatsAppTemplate } from '../activities/twilio-message-activities';

const twilio = proxyActivities<Activities>({ startToCloseTimeout: '20 seconds', retry: { maximumAttempts: 3 } });

/** Reads the approved templates through an activity, the only place that talks to Twilio. */
export async function listTemplatesWorkflow(): Promise<WhatsAppTemplate[]> {
  return twilio.listApprovedTemplates();
}
