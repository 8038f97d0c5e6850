/**
 * `watchdog scan` shows capability risk (issue 15): a real stdio server whose tool openly offers to capture
 * keystrokes is reported with `semantic-scorer/capability`; its ordinary tool is not.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { scanServers } from '../../src/cli/scan.js';
import { parseConfig } from '../../src/config/index.js';
import { NODE, ROOT, tempDir } from '../helpers/gateway.js';

describe('scan and the local scorer', () => {
  it('reports a tool that offers a harmful capability', async () => {
    const server = join(ROOT, 'test/fixtures/harmful-tools-server.mjs');
    const yaml = `upstreams:\n  - name: tools\n    command: ${JSON.stringify(NODE)}\n    args: [${JSON.stringify(server)}]\n`;
    const { config } = parseConfig(yaml, { file: 'scan.yaml', baseDir: tempDir(), env: process.env });
    const [report] = await scanServers(config, 20_000);
    expect(report?.error).toBeUndefined();
    expect(report?.tools).toBe(2);
    const capability = report?.findings.filter((f) => f.rule === 'semantic-scorer/capability') ?? [];
    expect(capability).toHaveLength(1);
    expect(JSON.stringify(capability[0])).toContain('key_capture');
    expect(JSON.stringify(report?.findings)).not.toContain('read_notes');
  });
});
