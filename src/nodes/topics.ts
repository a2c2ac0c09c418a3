/** Matching URC names against a user's list of topics. */

/** `SSLSRING, +creg` → matches `SSLSRING` and `+CREG` (case-insensitive, `+`/`#` prefix optional). */
export function topicFilter(list: string | undefined): (name: string) => boolean {
  const norm = (s: string): string => s.trim().replace(/^[+#%$^]/, '').toUpperCase();
  const wanted = new Set((list ?? '').split(',').map(norm).filter((s) => s.length > 0));
  if (wanted.size === 0) return () => true;
  return (name) => wanted.has(norm(name));
}
