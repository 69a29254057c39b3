export * from './classify-resources.ts';
export * from './derive-orphan-orders.ts';
export * from './find-orphans.ts';
export * from './resource-variables.ts';
