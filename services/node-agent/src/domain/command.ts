/**
 * Turns the Seed `interface.command` into an argv without invoking a shell.
 *
 * Variables are expanded while the words are read, as bash does, rather than substituted into the text first:
 * a value that holds quotes or backslashes (a JSON input) then reaches the job intact instead of being re-parsed.
 * Supported: '…' (literal), "…" (expands $VAR/${VAR}, \ escapes $ ` " \ and newline), \x outside quotes,
 * $VAR and ${VAR}. Unquoted expansions are split on blanks and an empty unquoted expansion adds no word,
 * so an absent optional input disappears from the argv. Undefined variables expand to ''. No globbing.
 */

export type ArgvResult = { ok: true; argv: string[] } | { ok: false; message: string };

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const BLANK = /[ \t\n]/;
const DQUOTE_ESCAPABLE = new Set(['$', '`', '"', '\\', '\n']);

interface Variable {
  name: string;
  /** Index just after the reference. */
  end: number;
}

/** Reads `$NAME` or `${NAME}` starting at the `$` at `start`; undefined when it is a literal `$`. */
function readVariable(text: string, start: number): Variable | undefined {
  const next = text[start + 1];
  if (next === '{') {
    const close = text.indexOf('}', start + 2);
    if (close < 0) return undefined;
    const name = text.slice(start + 2, close);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
    return { name, end: close + 1 };
  }
  if (next === undefined || !NAME_START.test(next)) return undefined;
  let end = start + 2;
  while (end < text.length && NAME_CHAR.test(text[end] ?? '')) end++;
  return { name: text.slice(start + 1, end), end };
}

export function commandToArgv(command: string, env: Readonly<Record<string, string>>): ArgvResult {
  const argv: string[] = [];
  let word = '';
  // A word exists once it has any character or quotes, so "" yields an empty argument.
  let started = false;
  const endWord = () => {
    if (started) argv.push(word);
    word = '';
    started = false;
  };
  const appendUnquotedExpansion = (value: string) => {
    const fields = value.split(/[ \t\n]+/);
    fields.forEach((field, index) => {
      if (index > 0) endWord();
      word += field;
      if (field !== '') started = true;
    });
  };

  let i = 0;
  while (i < command.length) {
    const c = command[i] as string;
    if (BLANK.test(c)) {
      endWord();
      i++;
    } else if (c === "'") {
      const close = command.indexOf("'", i + 1);
      if (close < 0) return { ok: false, message: 'unterminated single quote in command' };
      word += command.slice(i + 1, close);
      started = true;
      i = close + 1;
    } else if (c === '"') {
      started = true;
      i++;
      for (;;) {
        if (i >= command.length) return { ok: false, message: 'unterminated double quote in command' };
        const d = command[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && DQUOTE_ESCAPABLE.has(command[i + 1] ?? '')) {
          if (command[i + 1] !== '\n') word += command[i + 1];
          i += 2;
        } else if (d === '$') {
          const variable = readVariable(command, i);
          word += variable ? (env[variable.name] ?? '') : '$';
          i = variable ? variable.end : i + 1;
        } else {
          word += d;
          i++;
        }
      }
    } else if (c === '\\') {
      const next = command[i + 1];
      if (next === undefined) return { ok: false, message: 'command ends with a backslash' };
      // Backslash-newline is a line continuation, as in a shell script.
      if (next !== '\n') {
        word += next;
        started = true;
      }
      i += 2;
    } else if (c === '$') {
      const variable = readVariable(command, i);
      if (variable) {
        appendUnquotedExpansion(env[variable.name] ?? '');
        i = variable.end;
      } else {
        word += '$';
        started = true;
        i++;
      }
    } else {
      word += c;
      started = true;
      i++;
    }
  }
  endWord();
  return { ok: true, argv };
}
