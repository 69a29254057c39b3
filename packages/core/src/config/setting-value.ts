import type { SettingValue } from '../model.ts';

/** Setting names that hold credentials: their value must be a reference, never the secret itself. */
const SECRET_NAME = /pass(word|wd|phrase)?$|secret|token|api[-_]?key|credential|private[-_]?key|^pwd$/i;

export type SettingParse =
  | { readonly ok: true; readonly value: SettingValue }
  | { readonly ok: false; readonly message: string };

/**
 * Turns a connection setting from YAML into a `SettingValue`: `env:NAME` → `{ env: NAME }`,
 * `file:PATH` → `{ file: PATH }`, anything else literal. A literal for a secret-looking name is
 * refused, because configuration folders are versioned and shared.
 */
export function parseSettingValue(name: string, raw: string | number | boolean | null): SettingParse {
  if (typeof raw === 'string') {
    if (raw.startsWith('env:')) {
      const variable = raw.slice(4).trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
        return { ok: false, message: `"${raw}" is not a valid environment variable reference (write env:NAME)` };
      }
      return { ok: true, value: { env: variable } };
    }
    if (raw.startsWith('file:')) {
      const path = raw.slice(5).trim();
      if (path === '') return { ok: false, message: `"${raw}" names no file (write file:PATH)` };
      return { ok: true, value: { file: path } };
    }
  }
  if (SECRET_NAME.test(name) && raw !== null && raw !== '') {
    return {
      ok: false,
      message: `"${name}" looks like a secret and must not be written in clear: write env:NAME or file:PATH`,
    };
  }
  return { ok: true, value: raw };
}
