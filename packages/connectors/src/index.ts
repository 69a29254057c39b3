export * from './connector.ts';
export * from './connector-error.ts';
export * from './create-connector.ts';
export * from './csv/csv-connector.ts';
export * from './ldap/ldap-connector.ts';
export * from './memory/memory-connector.ts';
export * from './scim/scim-connector.ts';
export * from './sql/sql-connector.ts';
