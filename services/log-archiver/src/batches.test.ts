import { describe, expect, it } from '@jest/globals';
import { batches } from './batches.ts';

async function* items(count: number) {
  for (let i = 1; i <= count; i++) yield i;
}

async function collect<T>(source: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const batch of source) out.push(batch);
  return out;
}

describe('batches', () => {
  it.each([
    [5, 2, [[1, 2], [3, 4], [5]]],
    [
      4,
      2,
      [
        [1, 2],
        [3, 4],
      ],
    ],
    [3, 10, [[1, 2, 3]]],
    [0, 3, []],
  ])('batches - %i ready items in batches of %i', async (count, size, expected) => {
    expect(await collect(batches(items(count), size, 60_000))).toEqual(expected);
  });

  it('batches - closing the batches closes the source', async () => {
    let closed = false;
    async function* source() {
      try {
        yield* items(10);
      } finally {
        closed = true;
      }
    }
    for await (const batch of batches(source(), 3, 60_000)) {
      expect(batch).toEqual([1, 2, 3]);
      break;
    }
    expect(closed).toBe(true);
  });
});
