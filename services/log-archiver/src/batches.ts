/**
 * Groups an async stream of items into batches: a batch is handed over when it holds `maxSize` items or when its
 * first item has waited `maxWaitMs`, whichever comes first, so lines are written in few transactions under load
 * and without delay when the log is quiet. At most one `next()` is outstanding on the source.
 */
export async function* batches<T>(
  source: AsyncIterable<T>,
  maxSize: number,
  maxWaitMs: number,
): AsyncGenerator<T[], void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  const WAITED = Symbol('waited');
  let next = iterator.next();
  try {
    for (;;) {
      const batch: T[] = [];
      let deadline: number | undefined;
      while (batch.length < maxSize) {
        let timer: NodeJS.Timeout | undefined;
        const result =
          deadline === undefined
            ? await next
            : await Promise.race([
                next,
                new Promise<typeof WAITED>((resolve) => {
                  timer = setTimeout(() => resolve(WAITED), Math.max(0, deadline! - Date.now()));
                }),
              ]);
        clearTimeout(timer);
        if (result === WAITED) break;
        if (result.done) {
          if (batch.length > 0) yield batch;
          return;
        }
        batch.push(result.value);
        next = iterator.next();
        deadline ??= Date.now() + maxWaitMs;
      }
      yield batch;
    }
  } finally {
    await iterator.return?.();
  }
}
