/**
 * Seed output patterns: globs relative to OUTPUT_DIR, matched like Python's glob (which Scale uses):
 * `*` and `?` never cross '/', `[abc]`, `[a-z]` and `[!abc]` are character classes, directory segments must match
 * one by one (no recursive `**`), and a wildcard does not match a leading '.' of a name.
 */

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function segmentToRegExp(segment: string): string {
  let out = segment.startsWith('.') ? '' : '(?!\\.)';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      const members = body.replace(/[\\\]^]/g, '\\$&');
      out += negate ? `[^/${members}]` : `[${members}]`;
      i = close;
    } else out += escapeRegExp(c);
  }
  return out;
}

export function globToRegExp(pattern: string): RegExp {
  const segments = pattern
    .replace(/^(\.\/)+/, '')
    .split('/')
    .filter((s, index) => s !== '' || index === 0);
  return new RegExp(`^${segments.map(segmentToRegExp).join('/')}$`);
}

/** The paths (relative, '/'-separated) that the pattern matches. */
export function matchGlob(pattern: string, paths: readonly string[]): string[] {
  const re = globToRegExp(pattern);
  return paths.filter((path) => re.test(path));
}
