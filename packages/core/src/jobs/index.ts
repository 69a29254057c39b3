export * from './job-lifecycle.ts';
export * from './job-plan.ts';
