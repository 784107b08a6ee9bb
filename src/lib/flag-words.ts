/**
 * How a hint names where a value goes: on the command line a flag ("Pass X to --tenant"); in the
 * wizard, where nobody typed a flag, the answer itself ("Enter X"). Library checks take the flag
 * as `string | null` and build their hints with this.
 */
export function passTo(flag: string | null, value: string): string {
  return flag === null ? `Enter ${value}` : `Pass ${value} to ${flag}`;
}
