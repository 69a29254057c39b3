export * from './compile-configuration.ts';
export * from './config-problem.ts';
export { configurationFileSchema, configurationJsonSchema } from './configuration-schema.ts';
