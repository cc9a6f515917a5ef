/**
 * Images known to be on this host, for a while. A launch checks its image (Scale's pull task) without asking
 * Docker again when the same image was there a moment ago; if it was removed since, the create fails with 404
 * and the launch reports IMAGE_MISSING all the same. Pure: the caller passes the clock.
 */

/** How long a present image is trusted without asking Docker. */
export const IMAGE_TRUST_MS = 60_000;

export class ImageCache {
  readonly #seen = new Map<string, number>();

  isKnown(image: string, now: Date): boolean {
    const until = this.#seen.get(image);
    return until !== undefined && until > now.getTime();
  }

  present(image: string, now: Date): void {
    this.#seen.set(image, now.getTime() + IMAGE_TRUST_MS);
  }

  forget(image: string): void {
    this.#seen.delete(image);
  }
}
