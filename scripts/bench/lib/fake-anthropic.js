// A fake Anthropic Messages API on 127.0.0.1 for the benchmark (issue 15): the gateway's LLM judge is
// enabled and pointed here, so a judgement would be a loopback round trip that never leaves the machine.
// It answers every `POST /v1/messages` with a benign verdict through the `record_verdict` tool and
// counts the requests: the latency scenario reports the count, which must stay 0 for the row to mean
// "enabled but not triggered". (The tests' fake, with errors and hangs, is test/helpers/fake-anthropic.ts.)
import { createServer } from 'node:http';

const VERDICT = {
  id: 'msg_bench',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-5-5',
  content: [{ type: 'tool_use', id: 'toolu_bench', name: 'record_verdict', input: { verdict: 'benign', category: 'none', confidence: 0.9, reason: 'bench' } }],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 100, output_tokens: 20 },
};

/** `{ url, requests(), close() }`. */
export async function startFakeAnthropic() {
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(VERDICT));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
