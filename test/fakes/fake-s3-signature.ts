import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** What a request claims and whether its signature holds; `problem` names why it does not. */
export type SignatureCheck =
  | { ok: true; payloadHash: string }
  | {
      ok: false;
      code: "AccessDenied" | "InvalidAccessKeyId" | "SignatureDoesNotMatch";
      problem: string;
    };

const authorizationPattern =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** RFC 3986 encoding, as SigV4 wants it: everything but unreserved characters. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function canonicalPath(rawPath: string): string {
  return rawPath
    .split("/")
    .map((segment) => uriEncode(decodeURIComponent(segment)))
    .join("/");
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === "") return "";
  return rawQuery
    .split("&")
    .map((pair) => {
      const [name = "", value = ""] = pair.split("=", 2);
      const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, "%20"));
      return [uriEncode(decode(name)), uriEncode(decode(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const joined = Array.isArray(value) ? value.join(",") : value;
  return joined?.trim().replace(/\s+/g, " ");
}

function hmac(key: Buffer | string, text: string): Buffer {
  return createHmac("sha256", key).update(text, "utf8").digest();
}

/**
 * Recomputes an `Authorization: AWS4-HMAC-SHA256 …` header from the request as received
 * (Signature Version 4, "Transferring Payload in a Single Chunk"): the canonical request from
 * method, path, sorted query, the signed headers and `x-amz-content-sha256`; the string to sign
 * with `x-amz-date` and the credential scope; the key derived from the secret, date, region, `s3`.
 */
export function checkSignature(
  request: { method: string; url: string; headers: IncomingHttpHeaders },
  credentials: S3Credentials,
): SignatureCheck {
  const authorization = headerValue(request.headers, "authorization");
  if (!authorization) return { ok: false, code: "AccessDenied", problem: "unsigned request" };
  const match = authorizationPattern.exec(authorization);
  if (!match) return { ok: false, code: "AccessDenied", problem: "not an AWS4-HMAC-SHA256 header" };
  const [, accessKeyId, date, region, signedHeaderList = "", signature = ""] = match;
  if (accessKeyId !== credentials.accessKeyId) {
    return { ok: false, code: "InvalidAccessKeyId", problem: `unknown access key ${accessKeyId}` };
  }
  if (region !== credentials.region) {
    return { ok: false, code: "SignatureDoesNotMatch", problem: `scope names region ${region}` };
  }
  const signedHeaders = signedHeaderList.split(";");
  const amzDate = headerValue(request.headers, "x-amz-date") ?? "";
  const payloadHash = headerValue(request.headers, "x-amz-content-sha256") ?? "";
  for (const required of ["host", "x-amz-date", "x-amz-content-sha256"]) {
    if (!signedHeaders.includes(required)) {
      return { ok: false, code: "AccessDenied", problem: `${required} is not signed` };
    }
  }
  if (!amzDate.startsWith(`${date}T`)) {
    return {
      ok: false,
      code: "SignatureDoesNotMatch",
      problem: "x-amz-date is not the scope's day",
    };
  }
  const [rawPath = "/", rawQuery = ""] = request.url.split("?", 2);
  const canonicalRequest = [
    request.method,
    canonicalPath(rawPath),
    canonicalQuery(rawQuery),
    ...signedHeaders.map((name) => `${name}:${headerValue(request.headers, name) ?? ""}`),
    "",
    signedHeaderList,
    payloadHash,
  ].join("\n");
  const scope = `${date}/${region}/s3/aws4_request`;
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    amzDate,
    scope,
    createHash("sha256").update(canonicalRequest, "utf8").digest("hex"),
  ].join("\n");
  let key = hmac(`AWS4${credentials.secretAccessKey}`, date ?? "");
  for (const part of [region ?? "", "s3", "aws4_request"]) key = hmac(key, part);
  const expected = hmac(key, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) {
    return { ok: false, code: "SignatureDoesNotMatch", problem: "signature differs" };
  }
  return { ok: true, payloadHash };
}

/** A signed payload hash must match the body; `UNSIGNED-PAYLOAD` is allowed, as S3 allows it. */
export function payloadMatches(payloadHash: string, body: Buffer): boolean {
  if (payloadHash === "UNSIGNED-PAYLOAD") return true;
  return createHash("sha256").update(body).digest("hex") === payloadHash;
}
