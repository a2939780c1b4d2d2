import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { AvailableNumber, NumberType } from '../activities/twilio-number-activities';

const twilio = proxyActivities<Activities>({ startToCloseTimeout: '20 seconds', retry: { maximumAttempts: 3 } });

/** Lists numbers Twilio has for sale (F9) through an activity, the only place that talks to Twilio. */
export async function availableNumbersWorkflow(query: { country: string; type: NumberType; contains?: string }): Promise<AvailableNumber[]> {
  return twilio.listAvailableNumbers(query);
}
