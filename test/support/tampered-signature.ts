/** The URL with the first hex digit of its `signature` changed: always a different signature. */
export function tamperedSignature(link: string): string {
  const url = new URL(link);
  const signature = url.searchParams.get("signature") ?? "";
  if (!/^[0-9a-f]/.test(signature)) throw new Error(`no hex signature in ${link}`);
  const first = signature[0] === "0" ? "1" : "0";
  url.searchParams.set("signature", `${first}${signature.slice(1)}`);
  return url.href;
}
