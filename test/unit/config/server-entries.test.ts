import { describe, expect, it } from 'vitest';
import { diffServerEntries, serverEntries } from '../../../src/config/index.js';

const desktop = (servers: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ ...extra, mcpServers: servers });

describe('MCP server entries of a client config (config watch)', () => {
  it('keys entries by where they sit and ignores key order and other settings', () => {
    const a = serverEntries(desktop({ fs: { command: 'npx', args: ['a'] } }, { theme: 'light' }), '/x/claude_desktop_config.json');
    const b = serverEntries(desktop({ fs: { args: ['a'], command: 'npx' } }, { theme: 'dark', windowState: {} }), '/x/claude_desktop_config.json');
    expect([...(a ?? new Map()).keys()]).toEqual(['mcpServers.fs']);
    expect(diffServerEntries(a ?? new Map(), b ?? new Map())).toEqual({ added: [], removed: [], altered: [] });
  });

  it('names added, removed and altered entries, Claude Code projects and VS Code servers included', () => {
    const before = serverEntries(JSON.stringify({ mcpServers: { a: { command: 'x' } }, projects: { '/repo': { mcpServers: { b: { command: 'y' } } } } }), '/h/.claude.json');
    const after = serverEntries(JSON.stringify({ mcpServers: { a: { command: 'x', args: ['--evil'] } }, projects: { '/repo': { mcpServers: { c: { command: 'z' } } } } }), '/h/.claude.json');
    expect(diffServerEntries(before ?? new Map(), after ?? new Map())).toEqual({ added: ['projects["/repo"].mcpServers.c'], removed: ['projects["/repo"].mcpServers.b'], altered: ['mcpServers.a'] });
    const vscode = serverEntries(JSON.stringify({ servers: { gh: { type: 'http', url: 'https://x' } } }), '/w/.vscode/mcp.json');
    expect([...(vscode ?? new Map()).keys()]).toEqual(['servers.gh']);
  });

  it('reads JSON without servers as none, and text that is not JSON (half written) as unknown', () => {
    expect(serverEntries('{"editor.fontSize": 14}', '/c/Code/User/settings.json')?.size).toBe(0);
    expect(serverEntries('{"mcpServers": {"a": ', '/x/claude_desktop_config.json')).toBeUndefined();
  });
});
