/** Characters RFC 4514 §2.4 requires escaped anywhere in a value, plus `=` (allowed escaped, clearer so). */
const special = new Set([',', '+', '"', '\\', '<', '>', ';', '=']);

/**
 * Escapes an attribute value for use in a DN string (RFC 4514 §2.4).
 *
 * Specials, a leading space or `#`, a trailing space and NUL are written as `\XX` hex escapes rather
 * than `\,`: that is the form OpenLDAP returns DNs in, so a DN this connector builds is the same
 * string the server later reports (keys compare equal without normalisation), and a value ending
 * in a backslash cannot be mistaken for an escaped separator by naive splitters. Other characters,
 * non-ASCII included, stay as they are (UTF-8 in the DN string is valid RFC 4514).
 */
export function escapeDnValue(value: string): string {
  let result = '';
  const chars = [...value];
  chars.forEach((char, index) => {
    const leading = index === 0 && (char === ' ' || char === '#');
    const trailing = index === chars.length - 1 && char === ' ';
    if (special.has(char) || char === '\0' || leading || trailing) result += hexEscape(char);
    else result += char;
  });
  return result;
}

function hexEscape(char: string): string {
  return `\\${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}
