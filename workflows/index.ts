export * from './conversation-workflow';
export * from './wallet-workflow';
export * from './templates';
export * from './onboarding-workflow';
export * from './number-workflow';
export * from './available-numbers';
