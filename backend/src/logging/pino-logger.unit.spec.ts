import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { ConfigError } from '../config/config';
import { chooseLogFormat, type LogFormat, PinoLogger } from './pino-logger';

/** A logger writing to memory; the lines are there as soon as the call returns (synchronous streams). */
function capture(format: LogFormat): { logger: PinoLogger; lines: () => string[] } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  const logger = new PinoLogger('info', { roles: 'all' }, { format, destination });
  // Colours depend on the environment (CI, FORCE_COLOR): compare the text without them.
  return { logger, lines: () => stripVTControlCharacters(text).split('\n').filter(Boolean) };
}

describe('log format', () => {
  it('is pretty on a terminal and JSON anywhere else, unless KAIROS_LOG_FORMAT says', () => {
    expect(chooseLogFormat({ isTTY: true, env: {} })).toBe('pretty');
    expect(chooseLogFormat({ isTTY: false, env: {} })).toBe('json');
    expect(chooseLogFormat({ isTTY: undefined, env: {} })).toBe('json');
    expect(chooseLogFormat({ isTTY: undefined, env: { KAIROS_LOG_FORMAT: '' } })).toBe('json');
    expect(chooseLogFormat({ isTTY: false, env: { KAIROS_LOG_FORMAT: 'pretty' } })).toBe('pretty');
    expect(chooseLogFormat({ isTTY: true, env: { KAIROS_LOG_FORMAT: 'json' } })).toBe('json');
  });

  it('refuses any other KAIROS_LOG_FORMAT, naming the variable', () => {
    expect(() => chooseLogFormat({ isTTY: true, env: { KAIROS_LOG_FORMAT: 'text' } })).toThrow(ConfigError);
    expect(() => chooseLogFormat({ isTTY: true, env: { KAIROS_LOG_FORMAT: 'text' } })).toThrow(
      /KAIROS_LOG_FORMAT/,
    );
  });
});

describe('PinoLogger', () => {
  it('pretty: one human line, the message after its context, other fields on the same line', () => {
    const { logger, lines } = capture('pretty');
    logger.log('worker w1 owns 256 buckets', 'WorkerService');
    logger.warn({ msg: 'execution finished', taskId: 't-1', lagMs: 3 }, 'Executor');

    expect(lines()).toHaveLength(2);
    expect(lines()[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[WorkerService\] worker w1 owns 256 buckets$/,
    );
    expect(lines()[1]).toMatch(/WARN: \[Executor\] execution finished \{"taskId":"t-1","lagMs":3\}$/);
    expect(lines()[0]).not.toContain('{');
  });

  it('json: one parseable object per line with the context and the fields', () => {
    const { logger, lines } = capture('json');
    logger.log('worker w1 owns 256 buckets', 'WorkerService');
    logger.warn({ msg: 'execution finished', taskId: 't-1', lagMs: 3 }, 'Executor');

    const [first, second] = lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({
      level: 30,
      msg: 'worker w1 owns 256 buckets',
      context: 'WorkerService',
      roles: 'all',
      pid: process.pid,
    });
    expect(typeof first.time).toBe('string');
    expect(second).toMatchObject({
      level: 40,
      msg: 'execution finished',
      context: 'Executor',
      taskId: 't-1',
    });
  });
});
