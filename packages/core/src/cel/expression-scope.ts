import type { EntityType, Property } from '../model.ts';

/** How a property looks to an expression: dates are ISO strings, navigations are keys. */
export type FieldType = 'string' | 'int' | 'bool' | 'list<string>';

/** The properties an expression may read on `identity` or `resource`. */
export interface EntityShape {
  /** Entity type id, for error messages. */
  readonly entityType: string;
  readonly fields: Readonly<Record<string, FieldType>>;
}

/**
 * What an expression may use. `identity` and `resource` are declared only when given, so a
 * correlation target expression that reads `identity` is refused. `assignment` ({start, end},
 * strings or null) and `now` (ISO string) are always declared.
 */
export interface ExpressionScope {
  readonly identity?: EntityShape;
  readonly resource?: EntityShape;
}

function fieldType(property: Property): FieldType {
  if (property.kind === 'navigation') return property.multiValued ? 'list<string>' : 'string';
  switch (property.type) {
    case 'int':
      return 'int';
    case 'bool':
      return 'bool';
    case 'string':
    case 'date':
      return 'string';
  }
}

/** The shape of an entity type as seen by expressions. */
export function entityShape(entityType: EntityType): EntityShape {
  const fields: Record<string, FieldType> = {};
  for (const [name, property] of Object.entries(entityType.properties)) fields[name] = fieldType(property);
  return { entityType: entityType.id, fields };
}
