import type { LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";

type Callback = (error: Error | null, address?: unknown, family?: number) => void;

/** A resolver that answers from a table, so a test can make any name point anywhere. */
export function tableLookup(table: Record<string, string[]>): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: Callback) => {
    const addresses: LookupAddress[] = (table[hostname] ?? []).map((address) => ({
      address,
      family: address.includes(":") ? 6 : 4,
    }));
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error(`no ${hostname}`), { code: "ENOTFOUND" }));
    if (options.all) return callback(null, addresses);
    return callback(null, first.address, first.family);
  }) as unknown as LookupFunction;
}
