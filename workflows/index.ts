export * from './conversation';
export * from './wallet';
export * from './templates';
