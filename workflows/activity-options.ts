import type { ActivityOptions } from '@temporalio/workflow';

/** Our own database: quick, and retried until it answers, so an outage only delays the workflow. */
export const DATABASE_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '10 seconds' },
};

/** The card gateway: each retry carries the same idempotency key, so retrying cannot charge twice. */
export const PAYMENT_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
};
