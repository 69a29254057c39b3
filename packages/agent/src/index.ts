export * from './agent.ts';
export * from './circuit-breaker.ts';
export * from './environment.ts';
export * from './http-agent-port.ts';
export * from './retry-delay.ts';
