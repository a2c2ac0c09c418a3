/**
 * Which characters text may hold, and how to name the one that is not allowed.
 *
 * Owns: the character rules of everything that goes into a command line — used by the command
 * builder (`command.ts`), by the option rules (`adapters/rules.ts`) and, compiled, by the editor.
 * Must never: import anything (the editor loads it as it is).
 */

/**
 * `printable-ascii` (0x20..0x7E) is what AT command lines carry unless a vendor manual says
 * otherwise; `printable-unicode` also allows any printable character beyond ASCII, sent as UTF-8,
 * for the few parameters a manual documents as UTF-8.
 */
export type Charset = 'printable-ascii' | 'printable-unicode';

/** The first character `charset` does not allow, with its code unit and index; null when there is none. */
export function firstDisallowed(value: string, charset: Charset): { code: number; index: number } | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) continue;
    if (charset === 'printable-ascii' || c < 0x20 || (c >= 0x7f && c <= 0x9f)) return { code: c, index: i };
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      // A lone surrogate has no UTF-8 form: an encoder would send U+FFFD instead.
      if (!(next >= 0xdc00 && next <= 0xdfff)) return { code: c, index: i };
      i++;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return { code: c, index: i };
  }
  return null;
}

/** How a character is named in a message: `"č" (U+010D)`, or only its code when it does not print. */
export function describeChar(code: number): string {
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const printable = code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code <= 0x9f) && !(code >= 0xd800 && code <= 0xdfff);
  return printable ? `"${String.fromCodePoint(code)}" (${hex})` : hex;
}

/** Why `value` is not text `charset` allows, in words naming the character (never a secret's); null when it is. */
export function charsetProblem(value: string, charset: Charset, secret = false): string | null {
  const bad = firstDisallowed(value, charset);
  if (!bad) return null;
  if (bad.code < 0x20 || bad.code === 0x7f) {
    const names: Record<number, string> = { 0x0d: 'carriage return (CR)', 0x0a: 'line feed (LF)', 0x1a: 'Ctrl-Z', 0x1b: 'ESC' };
    const what = names[bad.code] ?? `control character 0x${bad.code.toString(16).padStart(2, '0')}`;
    return `must not contain ${what}${secret ? '' : ` (found at position ${bad.index})`}`;
  }
  const allowed = charset === 'printable-ascii' ? 'printable ASCII characters (space to ~)' : 'printable characters';
  return secret ? `may hold only ${allowed}; it contains another character` : `may hold only ${allowed}; ${describeChar(bad.code)} at position ${bad.index} is not one`;
}

