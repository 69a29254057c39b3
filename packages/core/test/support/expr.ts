import { parse } from '@marcbachmann/cel-js';
import { type Expression, ExpressionError, type SourceLocation } from '../../src/expression.ts';

/**
 * Test helper: a CEL expression without the configuration compiler, so engine tests can be written
 * as data. Production code gets its expressions from the configuration compiler (src/config).
 */
export function expr(source: string, path = 'test'): Expression {
  const location: SourceLocation = { file: 'test.yaml', line: 1, column: 1, path };
  const run = parse(source);
  return {
    source,
    location,
    evaluate(variables) {
      try {
        const value = run(variables as Record<string, unknown>);
        return typeof value === 'bigint' ? Number(value) : value;
      } catch (error) {
        throw new ExpressionError(source, location, (error as Error).message);
      }
    },
  };
}
