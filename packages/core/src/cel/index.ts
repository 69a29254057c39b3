export * from './compare-values.ts';
export * from './compile-expression.ts';
export * from './expression-scope.ts';
export * from './format-date.ts';
export { FUNCTION_LIBRARY, type LibraryFunction } from './function-library.ts';
export * from './remove-diacritics.ts';
export * from './unique-value.ts';
