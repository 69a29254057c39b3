export * from './identity-scope.ts';
export * from './permissions.ts';
