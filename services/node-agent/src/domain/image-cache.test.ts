import { describe, expect, it } from '@jest/globals';
import { IMAGE_TRUST_MS, ImageCache } from './image-cache.ts';

describe('ImageCache', () => {
  const t0 = new Date(Date.UTC(2026, 0, 1));
  const later = (ms: number) => new Date(t0.getTime() + ms);

  it('ImageCache - trusts a present image for a while, then asks again', () => {
    const cache = new ImageCache();
    expect(cache.isKnown('a:1', t0)).toBe(false);
    cache.present('a:1', t0);
    expect(cache.isKnown('a:1', later(IMAGE_TRUST_MS - 1))).toBe(true);
    expect(cache.isKnown('a:1', later(IMAGE_TRUST_MS))).toBe(false);
    expect(cache.isKnown('b:1', t0)).toBe(false);
  });

  it('ImageCache - forgets an image Docker no longer has', () => {
    const cache = new ImageCache();
    cache.present('a:1', t0);
    cache.forget('a:1');
    expect(cache.isKnown('a:1', t0)).toBe(false);
  });
});
