const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/;
const TOKENS = /yyyy|MM|dd|HH|mm/g;

/**
 * Formats the date and time written at the start of an ISO-8601 string with the tokens `yyyy`,
 * `MM`, `dd`, `HH`, `mm`; other characters are copied. The digits are taken as written, without
 * time-zone conversion, so a contract date keeps its calendar day wherever the server runs.
 * Throws when the text does not start with `YYYY-MM-DD`.
 */
export function formatDate(iso: string, pattern: string): string {
  const match = ISO_DATE.exec(iso);
  if (!match) throw new Error(`formatDate: "${iso}" is not an ISO-8601 date (expected YYYY-MM-DD...)`);
  const parts: Record<string, string> = {
    yyyy: match[1] ?? '',
    MM: match[2] ?? '',
    dd: match[3] ?? '',
    HH: match[4] ?? '00',
    mm: match[5] ?? '00',
  };
  return pattern.replace(TOKENS, (token) => parts[token] ?? token);
}
