export * from './conversation';
export * from './wallet';
export * from './templates';
export * from './onboarding';
export * from './number';
export * from './available-numbers';
