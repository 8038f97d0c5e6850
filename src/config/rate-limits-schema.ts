/**
 * The rate-guard part of the one config schema (issue 11): token buckets on tool calls per principal ×
 * upstream × tool (bursts of calls: consent fatigue, runaway agents) and on upstream notifications per
 * upstream (floods of list_changed, resources/updated, log messages). Kept beside schema.ts, which
 * composes it. Defaults are generous: an interactive assistant never meets them; a loop does.
 * A bucket holds `burst` tokens and refills at `perMinute` per minute; a call takes one.
 */
import { z } from 'zod';

const Limit = (perMinute: number, burst: number, what: string) =>
  z
    .object({
      perMinute: z.number().positive().default(perMinute).describe(`${what} per minute, sustained; default ${perMinute}`),
      burst: z.number().int().positive().default(burst).describe(`${what} at once before the rate applies; default ${burst}`),
    })
    .strict()
    .default({ perMinute, burst });

export const DEFAULT_CALL_LIMIT = { perMinute: 120, burst: 60 } as const;

const ToolLimit = z
  .object({
    perMinute: z.number().positive().describe('calls per minute, sustained'),
    burst: z.number().int().positive().describe('calls at once before the rate applies'),
  })
  .strict();

export const RateLimitsSchema = z
  .object({
    enabled: z.boolean().default(true).describe('refuse calls and drop notifications over the limits below; default true'),
    calls: Limit(DEFAULT_CALL_LIMIT.perMinute, DEFAULT_CALL_LIMIT.burst, 'tool calls of one principal to one tool').describe(
      'per principal × upstream × tool; a call over it gets JSON-RPC error WDG_RATE_LIMITED with the seconds to wait; default 120/min, burst 60',
    ),
    tools: z
      .record(z.string(), ToolLimit)
      .default({})
      .describe('public tool-name glob -> its own call limit (first matching glob in file order); default {}'),
    notifications: z
      .object({
        listChanged: Limit(60, 20, 'list_changed notifications sent to clients for one upstream'),
        resourceUpdates: Limit(1200, 200, 'resources/updated notifications from one upstream'),
        logMessages: Limit(1200, 200, 'log messages from one upstream'),
      })
      .strict()
      .default(() => ({ listChanged: { perMinute: 60, burst: 20 }, resourceUpdates: { perMinute: 1200, burst: 200 }, logMessages: { perMinute: 1200, burst: 200 } }))
      .describe('per upstream: list_changed over the limit is delayed (one catches up when a token is free), updates and log messages over it are dropped; default 60/20, 1200/200, 1200/200'),
    maxBuckets: z.number().int().positive().default(10_000).describe('buckets kept at most, least recently used dropped first (a dropped bucket starts full); default 10000'),
  })
  .strict();

export type RateLimitsConfig = z.infer<typeof RateLimitsSchema>;
export type RateLimit = RateLimitsConfig['calls'];
