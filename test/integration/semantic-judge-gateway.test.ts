/**
 * The LLM judge in the running gateway (issue 15): configured in YAML (`detection.semantic`), its key
 * from the environment, pointed at a fake Messages API on 127.0.0.1 that fails with a body echoing the
 * key. Tool descriptions are judged at listing time (`judge: descriptions`); the judge fails open, so
 * the client still gets every tool, and the key appears in no log line (captured at trace level).
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { connectHttp, NODE, startGateway, TOY, waitFor, type RunningGateway } from '../helpers/gateway.js';

const KEY = 'sk-ant-gateway-test-9876543210zyxwvutsrq';
let fake: FakeAnthropic;
let gw: RunningGateway;
const lines: string[] = [];

beforeAll(async () => {
  fake = await startFakeAnthropic();
  fake.reply = (request) => ({ status: 500, body: JSON.stringify({ type: 'error', error: { type: 'api_error', message: `echo ${JSON.stringify(request.headers)}` } }) });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const yaml = `
upstreams:
  - name: toy
    command: ${JSON.stringify(NODE)}
    args: [${JSON.stringify(TOY)}]
detection:
  semantic:
    enabled: true
    baseURL: ${fake.url}
    judge: descriptions
    timeoutMs: 2000
`;
  gw = await startGateway(yaml, { log: pino({ level: 'trace' }, sink), deps: { env: { ANTHROPIC_API_KEY: KEY } } });
});

afterAll(async () => {
  await gw?.close();
  await fake?.close();
});

describe('the LLM judge inside the gateway', () => {
  it('judges tool descriptions at listing time, fails open, and never logs the key', async () => {
    const client = await connectHttp(gw.url);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('toy__echo');
    await client.close();
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every((r) => JSON.stringify(r.headers).includes(KEY))).toBe(true);
    const logged = await waitFor(() => (lines.some((l) => l.includes('semantic-judge')) ? lines.join('') : undefined), 5000, 'a logged judge failure');
    expect(logged).toContain('judge unavailable: HTTP 500');
    expect(logged).not.toContain(KEY);
    expect(logged).not.toContain(KEY.slice(0, 20));
  });
});
