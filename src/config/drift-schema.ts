/**
 * The behavioural-drift part of the one config schema (issue 11): baselines per upstream × tool of what
 * reached the client, and when departures from them are reported. Composed by schema.ts.
 */
import { z } from 'zod';

export const DriftSchema = z
  .object({
    enabled: z.boolean().default(true).describe('learn baselines of tool results and report departures from them; default true'),
    minCalls: z
      .number()
      .int()
      .positive()
      .default(20)
      .describe('clean calls a baseline needs before a first finding class (phase transition), a new response skeleton or a size outlier is reported; default 20'),
    sizeMads: z
      .number()
      .positive()
      .default(10)
      .describe('a response whose size is this many median absolute deviations from the median of the last 31 clean ones is a size outlier; default 10'),
  })
  .strict();

export type DriftConfig = z.infer<typeof DriftSchema>;
