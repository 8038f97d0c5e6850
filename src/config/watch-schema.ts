/**
 * The config-and-sensitive-file watch part of the one config schema (issue 11). Composed by schema.ts;
 * `files` are resolved like `scope` folders (`~`, relative to the config file) by normalise.ts.
 */
import { z } from 'zod';

export const WatchSchema = z
  .object({
    enabled: z.boolean().default(true).describe('while the gateway runs, watch MCP client configs and sensitive files and report changes as findings; default true'),
    files: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('exactly these files instead of the defaults (~ and paths relative to this file allowed); default: the MCP client configs (Claude Desktop, Claude Code, Cursor, Windsurf, VS Code) and shell rc, SSH and git files in your home folder'),
    writerScanMs: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .default(100)
      .describe('on Linux, time budget for scanning /proc for the process holding a changed file open for writing, named in the finding (the upstreams first, then the newest processes); 0 turns the scan off; default 100'),
    debounceMs: z.number().int().min(0).default(200).describe('quiet time after a change before the file is read again (a half-written file is not judged); default 200'),
  })
  .strict();

export type WatchConfig = z.infer<typeof WatchSchema>;
