export * from './conversations';
export * from './directory';
export * from './numbers';
export * from './orgs';
export * from './billing';
export * from './settings';
export * from './visitors';
export * from './channel';
