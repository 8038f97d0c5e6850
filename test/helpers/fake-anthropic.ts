/**
 * A fake Anthropic Messages API on 127.0.0.1 (issue 15): a real HTTP server answering `POST /v1/messages`
 * in the API's shape, so the real `@anthropic-ai/sdk` can be pointed at it with `baseURL`. Each test
 * sets `reply` to decide the answer (a verdict through the `record_verdict` tool, an HTTP error, a
 * malformed message, or no answer at all); every request is recorded (headers and parsed body).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: {
    model: string;
    system: string;
    messages: Array<{ role: string; content: string }>;
    tools: Array<{ name: string; input_schema: Record<string, unknown> }>;
    tool_choice: { type: string; name: string };
    max_tokens: number;
  };
}

export type FakeReply =
  | { verdict: 'benign' | 'suspicious' | 'malicious'; category?: string; confidence?: number; reason?: string }
  | { status: number; body: string }
  | { content: unknown[] }
  | 'hang';

export interface FakeAnthropic {
  url: string;
  requests: RecordedRequest[];
  reply: FakeReply | ((request: RecordedRequest) => FakeReply);
  close(): Promise<void>;
}

function message(content: unknown[]): object {
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model: 'claude-haiku-5-5',
    content,
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 100, output_tokens: 20 },
  };
}

function answer(res: ServerResponse, reply: FakeReply): void {
  if (reply === 'hang') return;
  if ('status' in reply) {
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
    return;
  }
  const content =
    'content' in reply
      ? reply.content
      : [
          {
            type: 'tool_use',
            id: 'toolu_fake',
            name: 'record_verdict',
            input: { verdict: reply.verdict, category: reply.category ?? (reply.verdict === 'benign' ? 'none' : 'injection'), confidence: reply.confidence ?? 0.9, reason: reply.reason ?? 'fake verdict' },
          },
        ];
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message(content)));
}

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const hanging = new Set<ServerResponse>();
  const fake: FakeAnthropic = {
    url: '',
    requests: [],
    reply: { verdict: 'benign' },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = { path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') };
      fake.requests.push(recorded);
      const reply = typeof fake.reply === 'function' ? fake.reply(recorded) : fake.reply;
      if (reply === 'hang') hanging.add(res);
      answer(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
