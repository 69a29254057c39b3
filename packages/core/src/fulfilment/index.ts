export * from './agent-port.ts';
export * from './follow-order.ts';
export * from './object-operations.ts';
export * from './order-work.ts';
export * from './sync-thresholds.ts';
export * from './verify-read-back.ts';
export * from './work-item.ts';
