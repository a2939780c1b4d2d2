/** A Twilio account as every adapter reaches it. */
export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  /** When set, every REST request (and media) goes here instead of `*.twilio.com`: the emulator or a test double. */
  apiBaseUrl?: string;
}
