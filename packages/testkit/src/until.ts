/**
 * Polls `probe` every 50 ms until it returns something truthy and returns that; throws naming `what` after
 * `timeoutMs`. For waiting on work other processes do (a scheduler pass, a consumer), never for timing assertions.
 */
export async function until<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
