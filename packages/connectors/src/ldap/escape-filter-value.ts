const escapes: Readonly<Record<string, string>> = { '*': '\\2a', '(': '\\28', ')': '\\29', '\\': '\\5c', '\0': '\\00' };

/**
 * Escapes a value for an LDAP search filter string (RFC 4515 §3): `*`, `(`, `)`, `\` and NUL become
 * `\XX`. Non-ASCII characters are left as they are, which RFC 4515 allows (UTF-8 in the filter
 * string): ldapts decodes each `\XX` escape to one character, not one byte, so hex-escaping the
 * UTF-8 bytes of `É` would search for a different value.
 */
export function escapeFilterValue(value: string): string {
  let result = '';
  for (const char of value) result += escapes[char] ?? char;
  return result;
}
