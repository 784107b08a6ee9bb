/**
 * Loaded first by the CLI entry, before commander and the commands: when the command line asks
 * `jira` to generate a key (no --private-key; --bits the one size that works), generation starts
 * now and overlaps module loading. Reads argv with the option table's knowledge only.
 */
import { startEarlyKeyGeneration } from '../keys/early-keygen';
import { OPTIONS, peekCommandLine } from '../options';

export function startEarlyKeyGenerationFor(argv: readonly string[]): boolean {
  const line = peekCommandLine(argv);
  if (line?.command !== 'jira' || line.values.has('privateKey')) return false;
  const bits = line.values.get('bits');
  if (bits !== undefined && Number(bits) !== OPTIONS.bits.default) return false;
  startEarlyKeyGeneration(OPTIONS.bits.default);
  return true;
}
