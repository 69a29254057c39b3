import { UseCaseError } from './use-case-error.ts';

/**
 * Opaque cursors of paged lists. Newest-first lists page on (createdAt, id), so that rows created
 * while someone pages neither repeat nor go missing; id-ordered lists page on the last id. A cursor
 * this API did not give is refused with CURSOR_INVALID, never read as something else.
 */
export interface TimeCursor {
  readonly createdAt: string;
  readonly id: string;
}

export function encodeTimeCursor(cursor: TimeCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), 'utf8').toString('base64url');
}

export function decodeTimeCursor(text: string | undefined): TimeCursor | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return { createdAt: value[0] as string, id: value[1] as string };
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw new UseCaseError('invalid', 'CURSOR_INVALID', 'the cursor is not one this API gave', {
    errors: [{ path: 'querystring.cursor', message: 'unknown cursor' }],
  });
}

/** Cursor of id-ordered lists (review queues): the last id, opaque to clients. */
export function encodeIdCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeIdCursor(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const id = Buffer.from(text, 'base64url').toString('utf8');
  if (id === '' || encodeIdCursor(id) !== text) {
    throw new UseCaseError('invalid', 'CURSOR_INVALID', 'the cursor is not one this API gave', {
      errors: [{ path: 'querystring.cursor', message: 'unknown cursor' }],
    });
  }
  return id;
}
