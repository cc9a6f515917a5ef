import { describe, expect, it } from '@jest/globals';
import { taskResults } from './timeline.ts';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('taskResults', () => {
  it('taskResults - a completed execution has pull, main and post with timestamps', () => {
    const results = taskResults('scale-exe-5', {
      pull: { launched: t(0), started: t(0), ended: t(1), ok: true },
      main: { launched: t(1), started: t(2), ended: t(5), exitCode: 0, timedOut: false, canceled: false },
      post: { launched: t(5), started: t(5), ended: t(6), ok: true },
    });
    expect(results).toEqual([
      {
        task_id: 'scale-exe-5_pull',
        type: 'pull',
        was_launched: true,
        launched: '2026-01-01T00:00:00.000Z',
        was_started: true,
        started: '2026-01-01T00:00:00.000Z',
        ended: '2026-01-01T00:00:01.000Z',
        was_timed_out: false,
        status: 'COMPLETED',
      },
      {
        task_id: 'scale-exe-5_main',
        type: 'main',
        was_launched: true,
        launched: '2026-01-01T00:00:01.000Z',
        was_started: true,
        started: '2026-01-01T00:00:02.000Z',
        ended: '2026-01-01T00:00:05.000Z',
        was_timed_out: false,
        status: 'COMPLETED',
        exit_code: 0,
      },
      {
        task_id: 'scale-exe-5_post',
        type: 'post',
        was_launched: true,
        launched: '2026-01-01T00:00:05.000Z',
        was_started: true,
        started: '2026-01-01T00:00:05.000Z',
        ended: '2026-01-01T00:00:06.000Z',
        was_timed_out: false,
        status: 'COMPLETED',
      },
    ]);
  });

  it.each([
    [{ exitCode: 3, timedOut: false, canceled: false }, 'FAILED', false],
    [{ exitCode: 137, timedOut: true, canceled: false }, 'FAILED', true],
    [{ exitCode: 143, timedOut: false, canceled: true }, 'CANCELED', false],
  ])('taskResults - main task status for %j', (exit, status, timedOut) => {
    const [main] = taskResults('c', { main: { started: t(0), ended: t(1), ...exit } });
    expect(main).toMatchObject({ type: 'main', status, was_timed_out: timedOut, exit_code: exit.exitCode });
  });

  it('taskResults - a missing image fails the pull task and nothing else ran', () => {
    const results = taskResults('c', { pull: { launched: t(0), started: t(0), ended: t(0), ok: false } });
    expect(results.map((r) => [r.type, r.status])).toEqual([['pull', 'FAILED']]);
  });

  it('taskResults - tasks come in Scale order: pull, pre, main, post', () => {
    const results = taskResults('scale-exe-5', {
      pull: { launched: t(0), started: t(0), ended: t(1), ok: true },
      pre: { launched: t(1), started: t(1), ended: t(2), ok: true },
      main: { launched: t(2), started: t(2), ended: t(5), exitCode: 0, timedOut: false, canceled: false },
      post: { launched: t(5), started: t(5), ended: t(6), ok: true },
    });
    expect(results.map((r) => [r.task_id, r.status])).toEqual([
      ['scale-exe-5_pull', 'COMPLETED'],
      ['scale-exe-5_pre', 'COMPLETED'],
      ['scale-exe-5_main', 'COMPLETED'],
      ['scale-exe-5_post', 'COMPLETED'],
    ]);
  });

  it('taskResults - a failed staging fails the pre task and no main task ran', () => {
    const results = taskResults('c', {
      pull: { launched: t(0), started: t(0), ended: t(0), ok: true },
      pre: { launched: t(0), started: t(0), ended: t(1), ok: false },
    });
    expect(results.map((r) => [r.type, r.status])).toEqual([
      ['pull', 'COMPLETED'],
      ['pre', 'FAILED'],
    ]);
    expect(results[1]).toMatchObject({ was_started: true, ended: '2026-01-01T00:00:01.000Z' });
  });

  it('taskResults - a task that was never started says so', () => {
    const [main] = taskResults('c', { main: { launched: t(0), ended: t(1), timedOut: false, canceled: false } });
    expect(main).toMatchObject({ was_launched: true, was_started: false, status: 'FAILED' });
    expect(main).not.toHaveProperty('started');
  });
});
