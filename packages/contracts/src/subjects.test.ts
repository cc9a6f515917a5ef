import { describe, expect, it } from '@jest/globals';
import { subjectsFor } from './subjects.ts';

describe('subjects', () => {
  const s = subjectsFor('scale');
  it('subjects - builds the documented scheme', () => {
    expect(s.command('scheduler', 'queue-jobs')).toBe('scale.v1.cmd.scheduler.queue-jobs');
    expect(s.nodeCommand('host-1', 'launch')).toBe('scale.v1.node.host-1.launch');
    expect(s.nodeCommands('host-1')).toBe('scale.v1.node.host-1.*');
    expect(s.log(42, 'stderr')).toBe('scale.v1.logs.42.stderr');
    expect(s.streams.logs).toEqual({ name: 'SCALE_LOGS', subjects: ['scale.v1.logs.*.*'] });
    expect(s.queuedCommand('scheduler', 'cancel-jobs')).toBe('scale.v1.cmdq.scheduler.cancel-jobs');
    expect(s.queuedCommands('scheduler')).toBe('scale.v1.cmdq.scheduler.*');
    expect(s.streams.commands).toEqual({ name: 'SCALE_COMMANDS', subjects: ['scale.v1.cmdq.*.*'] });
  });

  it('subjects - isolates prefixes, including their stream names', () => {
    expect(subjectsFor('t1abc').streams.events.name).toBe('T1ABC_EVENTS');
    expect(subjectsFor('t1abc').heartbeat()).toBe('t1abc.v1.agent.heartbeat');
  });

  it.each(['a.b', 'a*', 'a>', 'has space', ''])('subjects - refuses the token %j', (bad) => {
    expect(() => s.nodeCommand(bad, 'launch')).toThrow(TypeError);
  });
});
