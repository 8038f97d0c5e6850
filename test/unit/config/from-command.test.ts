import { describe, expect, test } from 'vitest';
import { configFromCommand, isStdio, upstreamNameFromCommand } from '../../../src/config/index.js';

describe('upstreamNameFromCommand', () => {
  test.each([
    ['npx', 'npx'],
    ['/usr/local/bin/mcp-server-git', 'mcp-server-git'],
    ['C:\\Tools\\My Server.EXE', 'my-server-exe'],
    ['./server.py', 'server-py'],
    ['__init__', 'init'],
    ['///', 'upstream'],
    ['Ünïcode', 'n-code'],
    ['a'.repeat(40), 'a'.repeat(32)],
  ])('%s → %s', (command, name) => {
    expect(upstreamNameFromCommand(command)).toBe(name);
    expect(name).toMatch(/^[a-z0-9-]{1,32}$/);
  });
});

describe('configFromCommand', () => {
  test('builds one stdio upstream with prefix policy never and schema defaults', () => {
    const config = configFromCommand('/opt/bin/server-memory', ['--flag', 'x'], { baseDir: '/work/here', stateDir: { env: { XDG_STATE_HOME: '/state' } } });
    expect(config.gateway.prefix).toBe('never');
    expect(config.gateway.store).toBe('/state/mcp-watchdog/watchdog.db');
    expect(config.upstreams).toHaveLength(1);
    const [upstream] = config.upstreams;
    expect(upstream && isStdio(upstream)).toBe(true);
    expect(upstream).toMatchObject({ name: 'server-memory', command: '/opt/bin/server-memory', args: ['--flag', 'x'], cwd: '/work/here', timeout: 60, enabled: true });
    expect(Object.isFrozen(config.upstreams)).toBe(true);
  });

  test('an empty command is refused', () => {
    expect(() => configFromCommand('  ', [])).toThrow(/command is empty/);
  });
});
