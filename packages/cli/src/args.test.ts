import { describe, expect, it } from '@jest/globals';
import { parseCommand } from './args.ts';

describe('scale-cli arguments', () => {
  it.each([
    [['logs', '7'], { command: 'logs', jobId: 7, follow: false, stream: 'combined', api: 'http://127.0.0.1:8000' }],
    [
      ['logs', '-f', '7'],
      { command: 'logs', jobId: 7, follow: true, stream: 'combined', api: 'http://127.0.0.1:8000' },
    ],
    [
      ['logs', '7', '--follow', '--stream', 'stderr', '--api', 'http://api:9000/'],
      { command: 'logs', jobId: 7, follow: true, stream: 'stderr', api: 'http://api:9000' },
    ],
    [
      ['logs', '--stream=stdout', '12'],
      { command: 'logs', jobId: 12, follow: false, stream: 'stdout', api: 'http://127.0.0.1:8000' },
    ],
    [[], { command: 'help' }],
    [['--help'], { command: 'help' }],
    [['logs', '-h'], { command: 'help' }],
    [['tail', '7'], { error: 'unknown command "tail"' }],
    [['logs'], { error: 'expected exactly one job id' }],
    [['logs', '1', '2'], { error: 'expected exactly one job id' }],
    [['logs', 'abc'], { error: 'invalid job id "abc"' }],
    [['logs', '0'], { error: 'invalid job id "0"' }],
    [['logs', '1.5'], { error: 'invalid job id "1.5"' }],
    [['logs', '--stream', 'both', '1'], { error: '--stream must be combined, stdout or stderr, not "both"' }],
    [['logs', '--api', 'ftp://x', '1'], { error: '--api must be an http(s) URL, not "ftp://x"' }],
  ])('args - %j', (argv, expected) => {
    expect(parseCommand(argv)).toEqual(expected);
  });

  it('args - SCALE_API_URL is the default API, --api wins', () => {
    expect(parseCommand(['logs', '1'], { SCALE_API_URL: 'http://env:1' })).toMatchObject({ api: 'http://env:1' });
    expect(parseCommand(['logs', '--api', 'http://x:2', '1'], { SCALE_API_URL: 'http://env:1' })).toMatchObject({
      api: 'http://x:2',
    });
  });

  it('args - unknown options are errors', () => {
    expect(parseCommand(['logs', '--tail', '1'])).toEqual({ error: expect.stringContaining("'--tail'") });
  });
});
