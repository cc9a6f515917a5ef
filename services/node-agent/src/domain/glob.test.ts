import { describe, expect, it } from '@jest/globals';
import { matchGlob } from './glob.ts';

const files = [
  'a.txt',
  'b.txt',
  'ab.tif',
  '.hidden.txt',
  'dir/c.txt',
  'dir/sub/d.txt',
  'x+y(1).txt',
  'report-1.csv',
  'report-2.csv',
];

describe('matchGlob', () => {
  it.each<[string, string[]]>([
    ['*.txt', ['a.txt', 'b.txt', 'x+y(1).txt']],
    ['?.txt', ['a.txt', 'b.txt']],
    ['a*', ['a.txt', 'ab.tif']],
    ['dir/*.txt', ['dir/c.txt']],
    ['*/*.txt', ['dir/c.txt']],
    ['dir/*/*.txt', ['dir/sub/d.txt']],
    ['./dir/c.txt', ['dir/c.txt']],
    ['.*', ['.hidden.txt']],
    ['x+y(1).txt', ['x+y(1).txt']],
    ['report-[12].csv', ['report-1.csv', 'report-2.csv']],
    ['report-[!1].csv', ['report-2.csv']],
    ['report-[0-1].csv', ['report-1.csv']],
    ['nothing*', []],
    // No recursive globbing: ** is just two stars within one segment.
    ['**/d.txt', []],
  ])('matchGlob - %s', (pattern, expected) => {
    expect(matchGlob(pattern, files)).toEqual(expected);
  });
});
