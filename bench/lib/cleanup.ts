/**
 * Cleanup that always runs: steps registered as resources are created run in reverse order when the bench ends,
 * fails, or is interrupted (SIGINT/SIGTERM), so no child process, database or stream is left behind.
 */

export class Cleanup {
  #steps: { name: string; run: () => Promise<void> | void }[] = [];
  #running: Promise<void> | undefined;

  /** Registers a step; returns a function that runs it now (once) instead of at the end. */
  add(name: string, run: () => Promise<void> | void): () => Promise<void> {
    const step = { name, run };
    this.#steps.push(step);
    return async () => {
      const index = this.#steps.indexOf(step);
      if (index < 0) return;
      this.#steps.splice(index, 1);
      await run();
    };
  }

  /** Runs every remaining step, newest first; a failing step is reported and the others still run. */
  run(): Promise<void> {
    this.#running ??= (async () => {
      while (this.#steps.length) {
        const step = this.#steps.pop()!;
        try {
          await step.run();
        } catch (err) {
          console.error(`cleanup "${step.name}" failed: ${(err as Error).message}`);
        }
      }
    })();
    return this.#running;
  }
}

/**
 * Runs a bench body with a Cleanup, then exits: 0 on success, 1 on failure, 130 on a signal (after cleanup; a
 * second signal exits at once).
 */
export function runBench(body: (cleanup: Cleanup) => Promise<void>): void {
  const cleanup = new Cleanup();
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(130);
    signalled = true;
    console.error(`\n${signal}: cleaning up`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  body(cleanup).then(
    async () => {
      await cleanup.run();
      process.exit(0);
    },
    async (err: unknown) => {
      // After a signal, the body fails because cleanup pulled things from under it: not worth a stack trace.
      if (!signalled) console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      await cleanup.run();
      process.exit(1);
    },
  );
}
