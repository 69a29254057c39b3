import type { ScalarValue } from '../../expression.ts';

/** Turns what an expression returned into a value that can be stored, or says why it cannot. */
export function toScalarValue(result: unknown): { ok: true; value: ScalarValue } | { ok: false; message: string } {
  if (result === null || result === undefined) return { ok: true, value: null };
  if (typeof result === 'string' || typeof result === 'number' || typeof result === 'boolean') {
    return { ok: true, value: result };
  }
  if (typeof result === 'bigint') return { ok: true, value: Number(result) };
  if (result instanceof Date) return { ok: true, value: result.toISOString() };
  const shape = Array.isArray(result) ? 'a list' : typeof result === 'object' ? 'a map' : typeof result;
  return { ok: false, message: `the expression returned ${shape}, but a scalar property needs one value` };
}
