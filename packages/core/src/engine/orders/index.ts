export * from './check-thresholds.ts';
export * from './derive-orders.ts';
export * from './order-timing.ts';
