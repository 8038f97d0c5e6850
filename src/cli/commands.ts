/**
 * Subcommands beyond the two serving modes. Each returns an exit code; `undefined` means "not mine".
 */
import type { ParsedArgs } from './args.js';

export const EXTRA_COMMANDS = '';

export async function runExtraCommand(_command: string, _args: ParsedArgs): Promise<number | undefined> {
  return undefined;
}
