import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes, so on-call engineers can filter runs in the Temporal UI. */
export const OrgId = defineSearchAttributeKey('OrgId', SearchAttributeType.KEYWORD);
export const NumberId = defineSearchAttributeKey('NumberId', SearchAttributeType.KEYWORD);
export const ConversationStatus = defineSearchAttributeKey('ConversationStatus', SearchAttributeType.KEYWORD);
export const OperatorId = defineSearchAttributeKey('OperatorId', SearchAttributeType.KEYWORD);

/** ok | low | refilling | paused: which wallets need attention. */
export const WalletState = defineSearchAttributeKey('WalletState', SearchAttributeType.KEYWORD);

/** pending_link_approval | pending_approval | approved | rejected | expired: organisations waiting on someone. */
export const OnboardingStatus = defineSearchAttributeKey('OnboardingStatus', SearchAttributeType.KEYWORD);

/** purchasing | registering | active | past_due | cancelled | failed | released: numbers that need attention. */
export const NumberStatus = defineSearchAttributeKey('NumberStatus', SearchAttributeType.KEYWORD);

export const ALL_SEARCH_ATTRIBUTES = [
  OrgId,
  NumberId,
  ConversationStatus,
  OperatorId,
  WalletState,
  OnboardingStatus,
  NumberStatus,
];
