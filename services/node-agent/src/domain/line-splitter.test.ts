import { describe, expect, it } from '@jest/globals';
import { LineSplitter } from './line-splitter.ts';

function split(chunks: string[], maxLength?: number): string[] {
  const splitter = new LineSplitter(maxLength);
  return [...chunks.flatMap((c) => splitter.push(c)), ...splitter.end()];
}

describe('LineSplitter', () => {
  it.each<[string[], string[]]>([
    [['a\nb\n'], ['a', 'b']],
    [
      ['a', 'b\nc', '\n'],
      ['ab', 'c'],
    ],
    [['last line without newline'], ['last line without newline']],
    [
      ['x\n', 'tail'],
      ['x', 'tail'],
    ],
    [['\n\n'], ['', '']],
    [['crlf\r\nnext\r\n'], ['crlf', 'next']],
    [['split cr\r', '\n'], ['split cr']],
    [[''], []],
  ])('LineSplitter - %j', (chunks, lines) => {
    expect(split(chunks)).toEqual(lines);
  });

  it('LineSplitter - cuts lines longer than the limit', () => {
    expect(split(['abcdefg\nhi'], 3)).toEqual(['abc', 'def', 'g', 'hi']);
    expect(split(['abcd', 'efgh'], 3)).toEqual(['abc', 'def', 'gh']);
  });

  it('LineSplitter - push returns complete lines only', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('one\ntw')).toEqual(['one']);
    expect(splitter.push('o')).toEqual([]);
    expect(splitter.end()).toEqual(['two']);
    expect(splitter.end()).toEqual([]);
  });
});
