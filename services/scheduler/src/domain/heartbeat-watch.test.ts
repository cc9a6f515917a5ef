import { describe, expect, it } from '@jest/globals';
import { HeartbeatWatch } from './heartbeat-watch.ts';

describe('heartbeat watch', () => {
  it('heartbeat watch - judges nothing before it listened, then only after a whole deadline of listening', () => {
    const watch = new HeartbeatWatch();
    expect(watch.canJudge(100_000, 15_000)).toBe(false);
    watch.listening(1_000);
    expect(watch.canJudge(15_999, 15_000)).toBe(false);
    expect(watch.canJudge(16_000, 15_000)).toBe(true);
  });

  it('heartbeat watch - a disconnection stops judging; listening again restarts the whole deadline', () => {
    const watch = new HeartbeatWatch();
    watch.listening(0);
    expect(watch.canJudge(20_000, 15_000)).toBe(true);
    watch.deaf();
    expect(watch.canJudge(60_000, 15_000)).toBe(false);
    watch.listening(60_000);
    expect(watch.canJudge(74_999, 15_000)).toBe(false);
    expect(watch.canJudge(75_000, 15_000)).toBe(true);
  });
});
