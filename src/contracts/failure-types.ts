/**
 * Every ApplicationFailure type a workflow or activity raises, in one place: workflows throw and list
 * them in `nonRetryableErrorTypes`, activities throw them, and the API maps each to an HTTP answer.
 */
export const FailureType = {
  // Refusals of an update, answered to the HTTP caller.
  ConversationClosed: 'ConversationClosed',
  CustomerWroteAgain: 'CustomerWroteAgain',
  InsufficientPoints: 'InsufficientPoints',
  OutsideCustomerServiceWindow: 'OutsideCustomerServiceWindow',
  PaymentMethodRequired: 'PaymentMethodRequired',
  PaymentDeclined: 'PaymentDeclined',
  RequestNotPending: 'RequestNotPending',
  NumberAlreadyRegistered: 'NumberAlreadyRegistered',
  NumberNotActive: 'NumberNotActive',
  AlreadyCancelled: 'AlreadyCancelled',
  // Provider answers that will not change on retry: the workflow records them as the reason.
  NumberPurchaseRefused: 'NumberPurchaseRefused',
  SenderRegistrationRefused: 'SenderRegistrationRefused',
  SubaccountRefused: 'SubaccountRefused',
  OnboardingDeskRefused: 'OnboardingDeskRefused',
  OnboardingDeskNotConfigured: 'OnboardingDeskNotConfigured',
  // Outages, retried by Temporal.
  OnboardingDeskUnavailable: 'OnboardingDeskUnavailable',
  GatewayUnavailable: 'GatewayUnavailable',
  TwilioUnavailable: 'TwilioUnavailable',
} as const;

export type FailureType = (typeof FailureType)[keyof typeof FailureType];
