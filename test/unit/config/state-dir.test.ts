import { describe, expect, it } from 'vitest';
import { configFromCommand, defaultStateDir, parseConfig, storePathOf } from '../../../src/config/index.js';

describe('the default state folder (issue 7, item 18)', () => {
  it('is $XDG_STATE_HOME/mcp-watchdog when that is absolute, on any platform', () => {
    expect(defaultStateDir({ env: { XDG_STATE_HOME: '/var/state' }, home: '/home/ada', platform: 'linux' })).toBe('/var/state/mcp-watchdog');
    expect(defaultStateDir({ env: { XDG_STATE_HOME: '/var/state' }, home: '/Users/ada', platform: 'darwin' })).toBe('/var/state/mcp-watchdog');
  });

  it('else ~/.local/state on Linux, Application Support on macOS, %LOCALAPPDATA% on Windows', () => {
    expect(defaultStateDir({ env: { XDG_STATE_HOME: 'relative/ignored' }, home: '/home/ada', platform: 'linux' })).toBe('/home/ada/.local/state/mcp-watchdog');
    expect(defaultStateDir({ env: {}, home: '/Users/ada', platform: 'darwin' })).toBe('/Users/ada/Library/Application Support/mcp-watchdog');
    expect(defaultStateDir({ env: { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, home: 'C:\\Users\\ada', platform: 'win32' })).toBe('C:\\Users\\ada\\AppData\\Local\\mcp-watchdog');
  });

  it('holds the store of a config that names none; a named store is relative to the config file', () => {
    const env = { XDG_STATE_HOME: '/var/state' };
    expect(parseConfig('upstreams: []', { file: 'w.yaml', baseDir: '/etc/wd', env }).config.gateway.store).toBe('/var/state/mcp-watchdog/watchdog.db');
    expect(parseConfig('gateway: { store: data/w.db }', { file: 'w.yaml', baseDir: '/etc/wd', env }).config.gateway.store).toBe('/etc/wd/data/w.db');
    expect(storePathOf({}, { env, platform: 'linux' })).toBe('/var/state/mcp-watchdog/watchdog.db');
  });

  it('is where `stdio -- <command>` keeps its store, never the working directory', () => {
    const config = configFromCommand('server', [], { baseDir: '/', stateDir: { env: {}, home: '/home/ada', platform: 'linux' } });
    expect(config.gateway.store).toBe('/home/ada/.local/state/mcp-watchdog/watchdog.db');
  });
});
