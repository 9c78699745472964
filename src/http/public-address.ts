import ipaddr from "ipaddr.js";

/** IPv6 forms that carry an IPv4 address inside: the embedded one is what gets reached. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  const range = address.range();
  // NAT64 (64:ff9b::/96): the last 32 bits; 6to4 (2002::/16): bits 16–47.
  if (range === "rfc6052" && address.match(ipaddr.IPv6.parse("64:ff9b::"), 96)) {
    return new ipaddr.IPv4(bytes.slice(12, 16));
  }
  if (range === "6to4") return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

/**
 * Whether an IP address is on the public internet: not loopback, private (RFC 1918), link-local
 * (169.254.0.0/16, where cloud metadata lives), CGNAT, unique-local (fc00::/7), multicast,
 * unspecified or reserved, also when written as an IPv4-mapped, NAT64 or 6to4 IPv6 address.
 * Anything that does not parse is not public.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!ipaddr.isValid(bare)) return false;
  // `process` turns ::ffff:10.0.0.1 into 10.0.0.1.
  const parsed = ipaddr.process(bare);
  if (parsed.kind() === "ipv4") return parsed.range() === "unicast";
  // ::/96 (the deprecated IPv4-compatible form) is never routed to the public internet.
  if (
    parsed
      .toByteArray()
      .slice(0, 12)
      .every((byte) => byte === 0)
  )
    return false;
  const inner = embeddedIpv4(parsed as ipaddr.IPv6);
  if (inner) return inner.range() === "unicast";
  return parsed.range() === "unicast";
}
