/**
 * Splitting information text and URC lines into fields: `+X: 1,"a,b",,0x2F` →
 * `{ name: '+X', fields: [1, 'a,b', '', '0x2F'] }`. Plain decimal numbers become numbers;
 * quoted text loses its quotes and keeps its commas; everything else stays text.
 */

export type Field = string | number;

export interface ParsedLine {
  /** The part before `:` (`+CREG`, `#SSLRECV`, `SSLSRING`), or the whole line when it has none (`RING`). */
  name: string;
  fields: Field[];
}

const NAMED = /^([+#%$^&*]?[A-Za-z][A-Za-z0-9_\- ]*?):\s?(.*)$/s;

export function parseLine(line: string): ParsedLine {
  const m = NAMED.exec(line);
  if (!m) return { name: line.trim(), fields: [] };
  return { name: m[1], fields: splitFields(m[2]) };
}

export function splitFields(text: string): Field[] {
  if (text.length === 0) return [];
  const out: Field[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      const end = close < 0 ? text.length : close;
      out.push(text.slice(i + 1, end));
      const comma = text.indexOf(',', end);
      if (comma < 0) break;
      i = comma + 1;
      continue;
    }
    if (text[i] === '(') {
      // A range or list in a test-form answer, `(0-1500)` or `(0,1)`: one field, as written.
      const close = text.indexOf(')', i + 1);
      const end = close < 0 ? text.length : close + 1;
      out.push(text.slice(i, end));
      const comma = text.indexOf(',', end);
      if (comma < 0) break;
      i = comma + 1;
      continue;
    }
    const comma = text.indexOf(',', i);
    const raw = (comma < 0 ? text.slice(i) : text.slice(i, comma)).trim();
    out.push(toField(raw));
    if (comma < 0) break;
    i = comma + 1;
  }
  return out;
}

function toField(raw: string): Field {
  if (/^(0|-?[1-9]\d{0,14})$/.test(raw)) return Number(raw);
  return raw;
}
