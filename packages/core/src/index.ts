export * from './assignments.ts';
export * from './expression.ts';
export * from './lifecycle/lifecycle-table.ts';
export * from './lifecycle/provisioning-lifecycle.ts';
export * from './lifecycle/workflow-lifecycle.ts';
export type * from './model.ts';
export * from './orders.ts';
export type * from './resources.ts';
export * from './states.ts';
