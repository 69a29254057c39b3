/** The parts of a JSON Schema (as the OpenAPI document carries them) that a reader needs. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly nullable?: boolean;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly additionalProperties?: boolean | JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly allOf?: readonly JsonSchema[];
  readonly default?: unknown;
}

/** Objects nested deeper than this are written `object`: the OpenAPI document has the rest. */
const maxDepth = 3;

/**
 * A JSON Schema in TypeScript-like shorthand for the API reference: `{ login: string, note?:
 * string | null }`, `('add' | 'remove')[]`, `integer = 50`. Precise enough to write a request by
 * hand; the OpenAPI document stays the exact source.
 */
export function describeJsonSchema(schema: JsonSchema | undefined, depth = 0): string {
  if (!schema) return 'unknown';
  const nullable = schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
  const text = describeNonNull(schema, depth);
  return nullable && !text.endsWith(' | null') ? `${text} | null` : text;
}

function describeNonNull(schema: JsonSchema, depth: number): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) {
    const parts = [...new Set(union.map((s) => describeJsonSchema(s, depth)))];
    return parts.join(' | ');
  }
  if (schema.allOf?.length === 1) return describeJsonSchema(schema.allOf[0], depth);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'array': {
      const item = describeJsonSchema(schema.items, depth + 1);
      return /[ |]/.test(item) && !item.startsWith('{') ? `(${item})[]` : `${item}[]`;
    }
    case 'object':
      return describeObject(schema, depth);
    case 'string':
      return schema.format === 'date-time'
        ? 'string (date-time)'
        : schema.format === 'date'
          ? 'string (date)'
          : 'string';
    case undefined:
      return schema.properties ? describeObject(schema, depth) : 'unknown';
    default:
      return type;
  }
}

function describeObject(schema: JsonSchema, depth: number): string {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) {
    const values = schema.additionalProperties;
    return typeof values === 'object' ? `{ [key: string]: ${describeJsonSchema(values, depth + 1)} }` : 'object';
  }
  if (depth >= maxDepth) return 'object';
  const required = new Set(schema.required ?? []);
  return `{ ${properties.map(([name, value]) => describeField(name, value, required.has(name), depth)).join(', ')} }`;
}

/** `name: type`, `name?: type` when optional, with the default when there is one. */
export function describeField(name: string, schema: JsonSchema, required: boolean, depth = 0): string {
  const fallback = schema.default !== undefined ? ` = ${JSON.stringify(schema.default)}` : '';
  return `${name}${required ? '' : '?'}: ${describeJsonSchema(schema, depth + 1)}${fallback}`;
}
