import { Writable } from 'node:stream';
import { createLogger } from './logger';

describe('createLogger', () => {
  it('never writes a key or a cookie from a logged request', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger('info', sink);
    const secret = 'zb_root_0123456789abcdef';
    logger.info(
      {
        req: {
          method: 'GET',
          url: '/v1/personas',
          headers: { authorization: `Bearer ${secret}`, cookie: 'sid=1', host: 'x' },
        },
      },
      'request',
    );
    const entry = JSON.parse(lines.join(''));
    expect(lines.join('')).not.toContain(secret);
    expect(entry.req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]', host: 'x' });
  });
});
