import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { UserFacingError } from "../../src/errors.ts";

/** A request the API refuses before any work: bad JSON, too large, wrong shape. */
export class RequestRefused extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The whole body, refused with 413 as soon as it passes `limitBytes`. */
export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? Number.NaN);
  if (declared > limitBytes) {
    request.resume();
    throw new RequestRefused(413, `The upload is larger than ${limitBytes} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      request.resume();
      throw new RequestRefused(413, `The upload is larger than ${limitBytes} bytes.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A JSON body checked by `schema`; a failure names the field and what was wrong. */
export async function readJson<Schema extends z.ZodType>(
  request: IncomingMessage,
  schema: Schema,
  limitBytes = 64 * 1024,
): Promise<z.output<Schema>> {
  if (!(request.headers["content-type"] ?? "").startsWith("application/json")) {
    throw new RequestRefused(415, "Send JSON (content-type: application/json).");
  }
  let value: unknown;
  try {
    value = JSON.parse((await readBody(request, limitBytes)).toString("utf8"));
  } catch (error) {
    if (error instanceof RequestRefused) throw error;
    throw new RequestRefused(400, "The body is not valid JSON.");
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "body"}: ${issue.message}`,
  );
  throw new RequestRefused(400, `Invalid request: ${issues.join("; ")}.`);
}

/** The status and body the API answers a failure with; only UserFacingError text reaches users. */
export function describeFailure(error: unknown): { status: number; message: string } | undefined {
  if (error instanceof RequestRefused) return { status: error.status, message: error.message };
  if (error instanceof UserFacingError) return { status: 422, message: error.message };
  return undefined;
}
