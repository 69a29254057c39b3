import { describe, expect, it } from 'vitest';
import { describeJsonSchema } from '../../src/http/describe-json-schema.ts';

describe('the API reference writes schemas as shorthand', () => {
  it('writes objects with optional, nullable and defaulted fields', () => {
    expect(
      describeJsonSchema({
        type: 'object',
        properties: {
          login: { type: 'string' },
          note: { type: 'string', nullable: true },
          limit: { type: 'integer', default: 50 },
          at: { type: ['string', 'null'], format: 'date-time' },
        },
        required: ['login', 'note'],
      }),
    ).toBe('{ login: string, note: string | null, limit?: integer = 50, at?: string (date-time) | null }');
  });

  it('writes enums, unions, arrays of unions and maps', () => {
    expect(describeJsonSchema({ enum: ['add', 'remove'] })).toBe("'add' | 'remove'");
    expect(describeJsonSchema({ type: 'array', items: { enum: ['a', 'b'] } })).toBe("('a' | 'b')[]");
    expect(describeJsonSchema({ anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'string' }] })).toBe(
      'string | number',
    );
    expect(describeJsonSchema({ type: 'object', additionalProperties: { type: 'integer' } })).toBe(
      '{ [key: string]: integer }',
    );
  });

  it('stops at a depth, leaving the rest to the OpenAPI document', () => {
    const deep = {
      type: 'object',
      properties: {
        a: {
          type: 'object',
          properties: {
            b: { type: 'object', properties: { c: { type: 'object', properties: { d: { type: 'string' } } } } },
          },
        },
      },
    };
    expect(describeJsonSchema(deep)).toBe('{ a?: { b?: { c?: object } } }');
  });
});
