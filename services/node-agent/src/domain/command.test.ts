// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell commands, not templates
import { describe, expect, it } from '@jest/globals';
import { commandToArgv } from './command.ts';

const env = {
  OUTPUT_DIR: '/scale/output_data',
  NAME: 'world',
  SPACED: 'a b  c',
  JSON: '{"answer": 42}',
  EMPTY: '',
};

describe('commandToArgv', () => {
  it.each<[string, string[]]>([
    ['run.sh', ['run.sh']],
    ['  run.sh   a\tb\n c  ', ['run.sh', 'a', 'b', 'c']],
    ['echo $NAME ${NAME}!', ['echo', 'world', 'world!']],
    ['cp in ${OUTPUT_DIR}/out.txt', ['cp', 'in', '/scale/output_data/out.txt']],
    ['echo $UNDEFINED end', ['echo', 'end']],
    ['echo "$UNDEFINED" end', ['echo', '', 'end']],
    ['echo \'\' ""', ['echo', '', '']],
    ['echo $EMPTY', ['echo']],
    ['echo x$EMPTY', ['echo', 'x']],
    ['echo \'$NAME\' "$NAME"', ['echo', '$NAME', 'world']],
    ['echo "a b" c', ['echo', 'a b', 'c']],
    ["echo 'it'\"'\"'s'", ['echo', "it's"]],
    ['echo a\\ b \\$NAME', ['echo', 'a b', '$NAME']],
    ['echo "say \\"hi\\" \\$NAME \\n"', ['echo', 'say "hi" $NAME \\n']],
    ['echo $SPACED', ['echo', 'a', 'b', 'c']],
    ['echo "$SPACED"', ['echo', 'a b  c']],
    ['echo x$SPACED', ['echo', 'xa', 'b', 'c']],
    // Quotes inside a value are data, not syntax.
    ['echo $JSON', ['echo', '{"answer":', '42}']],
    ['echo "$JSON"', ['echo', '{"answer": 42}']],
    ['echo $ $1 ${bad-name} ${OPEN', ['echo', '$', '$1', '${bad-name}', '${OPEN']],
    ['a \\\nb', ['a', 'b']],
    [
      'sh -c "echo hello; echo \'{\\"answer\\": 42}\' > $OUTPUT_DIR/seed.outputs.json"',
      ['sh', '-c', 'echo hello; echo \'{"answer": 42}\' > /scale/output_data/seed.outputs.json'],
    ],
    ['', []],
  ])('commandToArgv - %j', (command, argv) => {
    expect(commandToArgv(command, env)).toEqual({ ok: true, argv });
  });

  it.each([
    ["echo 'open", 'unterminated single quote in command'],
    ['echo "open', 'unterminated double quote in command'],
    ['echo \\', 'command ends with a backslash'],
  ])('commandToArgv - rejects %j', (command, message) => {
    expect(commandToArgv(command, env)).toEqual({ ok: false, message });
  });
});
