/**
 * The client-config importer's parts (issue 13), case by case: format detection and refusal of files
 * that are not client configs; variable translation; looking through `cmd /c`, launchers and bridges;
 * names made valid and unique; per-upstream resolution for `scan --client-config`.
 */
import { describe, expect, it } from 'vitest';
import { ClientConfigError, importClientConfig, resolveImported } from '../../../src/config/index.js';
import { detectBridge, launchedProgram, splitCommand, unwrapShell } from '../../../src/config/client-configs/command-line.js';
import { readClientFile } from '../../../src/config/client-configs/read.js';
import { translateVariables } from '../../../src/config/client-configs/variables.js';

const noInputs = { inputs: new Map() };

describe('reading a client file', () => {
  it('detects each format by name and content', () => {
    const servers = JSON.stringify({ mcpServers: { a: { command: 'x' } } });
    expect(readClientFile(servers, '/h/Library/Claude/claude_desktop_config.json').format).toBe('claude-desktop');
    expect(readClientFile(servers, '/h/.claude.json').format).toBe('claude-code');
    expect(readClientFile(servers, '/proj/.mcp.json').format).toBe('claude-code');
    expect(readClientFile(servers, '/h/.cursor/mcp.json').format).toBe('cursor');
    expect(readClientFile(servers, '/h/.codeium/windsurf/mcp_config.json').format).toBe('windsurf');
    expect(readClientFile(JSON.stringify({ mcpServers: { a: { serverUrl: 'https://x' } } }), '/tmp/any.json').format).toBe('windsurf');
    expect(readClientFile('{ "servers": {}, }', '/p/.vscode/mcp.json').format).toBe('vscode');
    expect(readClientFile(JSON.stringify({ 'editor.fontSize': 14, mcp: { servers: { a: { command: 'x' } } } }), '/u/settings.json').format).toBe('vscode');
  });

  it('refuses a file that is not a client config, invalid JSON, and a --from that does not fit', () => {
    expect(() => readClientFile('{"name": "my-package", "version": "1.0.0"}', 'package.json')).toThrow(/not an MCP client config/);
    expect(() => readClientFile('[1, 2]', 'list.json')).toThrow(/JSON object/);
    expect(() => readClientFile('{"mcpServers": {', 'broken.json')).toThrow(/not valid JSON .* at line 1/);
    expect(() => readClientFile('{"mcpServers": {}}', 'x.json', 'vscode')).toThrow(ClientConfigError);
    expect(() => readClientFile('{"servers": {}}', 'x.json', 'cursor')).toThrow(/not a cursor config: no "mcpServers"/);
  });

  it('refuses hostile files with an answer, not a crash: deep nesting, huge size', () => {
    const deep = `{"mcpServers": {"a": ${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
    expect(() => readClientFile(deep, 'deep.json')).toThrow(/nested too deeply/);
    expect(() => readClientFile(`{"mcpServers": {}, "pad": "${'x'.repeat(11 * 1024 * 1024)}"}`, 'big.json')).toThrow(/larger than 10 MiB/);
  });

  it('infers the workspace folder from .vscode/ and .cursor/, and reads inputs', () => {
    const file = readClientFile('{"inputs": [{"id": "k", "description": "Key", "password": true}], "servers": {}}', '/home/me/web/.vscode/mcp.json');
    expect(file.workspace).toBe('/home/me/web');
    expect(file.inputs.get('k')).toEqual({ id: 'k', description: 'Key', password: true });
    expect(readClientFile('{"mcpServers": {}}', '/home/me/.config/claude.json').workspace).toBeUndefined();
  });
});

describe('variable translation', () => {
  it('maps client variables to the gateway interpolation', () => {
    const ctx = { inputs: new Map([['api-key', { id: 'api-key', description: 'The key', password: true }]]) };
    expect(translateVariables('${env:TOKEN}', ctx)).toMatchObject({ value: '${TOKEN}', problems: [] });
    expect(translateVariables('Bearer ${input:api-key}', ctx).value).toBe('Bearer ${API_KEY}');
    expect(translateVariables('${input:api-key}', ctx).uses[0]!.origin).toBe('VS Code input "api-key": "The key" (secret)');
    expect(translateVariables('${input:1st}', noInputs).value).toBe('${INPUT_1ST}');
    expect(translateVariables('${userHome}${/}x${pathSeparator}y', noInputs).value).toBe('${HOME}/x/y');
    expect(translateVariables('${DB:-postgres://localhost}', noInputs)).toMatchObject({ value: '${DB:-postgres://localhost}', uses: [] });
  });

  it('uses the workspace when known, else a variable', () => {
    expect(translateVariables('${workspaceFolder}/src', { ...noInputs, workspace: '/w/app' }).value).toBe('/w/app/src');
    expect(translateVariables('${workspaceFolderBasename}', { ...noInputs, workspace: '/w/app' }).value).toBe('app');
    expect(translateVariables('${workspaceFolder}', noInputs)).toMatchObject({ value: '${WORKSPACE_FOLDER}', uses: [{ name: 'WORKSPACE_FOLDER' }] });
  });

  it('reports what only the client can evaluate, and keeps a stray "${" literal', () => {
    expect(translateVariables('${command:pick}', noInputs).problems).toEqual(['${command:pick} can only be evaluated by the client']);
    expect(translateVariables('${env:not a name}', noInputs).problems).toHaveLength(1);
    expect(translateVariables('price ${ 5', noInputs).value).toBe('price $${ 5');
  });
});

describe('command lines', () => {
  it('unwraps cmd /c off Windows only, splitting a one-string command', () => {
    expect(unwrapShell({ command: 'cmd', args: ['/c', 'npx', '-y', 'pkg'] }, 'linux')).toEqual({ line: { command: 'npx', args: ['-y', 'pkg'] }, shell: 'cmd /c' });
    expect(unwrapShell({ command: 'CMD.EXE', args: ['/C', 'npx -y "a b"'] }, 'darwin').line).toEqual({ command: 'npx', args: ['-y', 'a b'] });
    expect(unwrapShell({ command: 'cmd', args: ['/c', 'npx'] }, 'win32').shell).toBeUndefined();
    expect(unwrapShell({ command: 'cmd', args: ['/x'] }, 'linux').shell).toBeUndefined();
    expect(splitCommand('node "C:\\\\My Files\\\\s.js" --x')).toEqual(['node', 'C:\\\\My Files\\\\s.js', '--x']);
  });

  it('looks through package launchers to the package', () => {
    expect(launchedProgram({ command: 'npx', args: ['-y', '@scope/pkg@1.2.3', '--flag'] })).toEqual({ name: '@scope/pkg', args: ['--flag'] });
    expect(launchedProgram({ command: 'pnpm', args: ['dlx', 'mcp-remote@latest', 'u'] }).name).toBe('mcp-remote');
    expect(launchedProgram({ command: 'uvx', args: ['--from', 'x', 'mcp-proxy', 'u'] }).name).toBe('mcp-proxy');
    expect(launchedProgram({ command: '/usr/local/bin/mcp-remote', args: ['u'] })).toEqual({ name: 'mcp-remote', args: ['u'] });
  });

  it('recognises bridges with their URL and headers, and not a bridge that serves a command', () => {
    expect(detectBridge({ command: 'npx', args: ['-y', 'mcp-remote', 'https://h/sse', '--header=X-Key: v', '3334'] })).toMatchObject({ url: 'https://h/sse', headers: [['X-Key', 'v']] });
    expect(detectBridge({ command: 'npx', args: ['supergateway', '--streamableHttp', 'https://h/mcp', '--header', 'A: b'] })).toMatchObject({ transport: 'http', headers: [['A', 'b']] });
    expect(detectBridge({ command: 'npx', args: ['supergateway', '--stdio', 'node s.js'] })).toBeUndefined();
    expect(detectBridge({ command: 'npx', args: ['-y', 'mcp-remote'] })).toBeUndefined();
    expect(detectBridge({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] })).toBeUndefined();
  });
});

describe('importing', () => {
  it('makes names valid and unique, and uses --workspace', () => {
    const text = JSON.stringify({ mcpServers: { 'My Server!': { command: 'a' }, 'my-server': { command: 'b' }, [`${'x'.repeat(40)}`]: { command: '${workspaceFolder}/bin' } } });
    const result = importClientConfig(text, { path: 'c.json', workspace: '/srv/app', platform: 'linux' });
    expect(result.upstreams.map((u) => u.name)).toEqual(['my-server', 'my-server-2', 'x'.repeat(32)]);
    expect(result.upstreams[2]!.fields.command).toBe('/srv/app/bin');
    expect(result.skipped).toEqual([]);
  });

  it('resolves each upstream on its own for a scan: a missing variable leaves the others', () => {
    const text = JSON.stringify({ mcpServers: { a: { command: 'node', env: { K: '${env:NEEDED_KEY}' } }, b: { url: 'https://h/mcp' } } });
    const { upstreams } = importClientConfig(text, { path: 'c.json', platform: 'linux' });
    const resolved = resolveImported(upstreams, {}, '/tmp');
    expect(resolved.config.upstreams.map((u) => u.name)).toEqual(['b']);
    expect(resolved.unresolved).toEqual([{ name: 'a', problems: [expect.stringContaining('NEEDED_KEY is not set')] }]);
    expect(resolveImported(upstreams, { NEEDED_KEY: 'k' }, '/tmp').config.upstreams).toHaveLength(2);
  });
});
