export * from './conversation';
export * from './wallet';
