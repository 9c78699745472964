/** How deep, how many items and how many keys of a logged value are written. */
const maxDepth = 6;
const maxItems = 20;
const maxKeys = 40;

export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return `${text.slice(0, maxLength)}…[${text.length - maxLength} more characters]`;
}

/** An error as plain fields (type, message, stack, its own fields, its cause), each bounded. */
export function boundedError(error: Error, maxString: number, depth = 0): Record<string, unknown> {
  // A validation error's message lists every issue (megabytes for a long list): name a few.
  const issues = (error as { issues?: unknown }).issues;
  const message = Array.isArray(issues)
    ? `${issues.length} issues, the first: ${JSON.stringify(issues.slice(0, 3))}`
    : error.message;
  const fields: Record<string, unknown> = {
    type: error.name || error.constructor.name,
    message: truncate(message, maxString),
    ...(error.stack ? { stack: truncate(error.stack, maxString) } : {}),
  };
  for (const key of Object.keys(error).slice(0, maxKeys)) {
    if (key === "message" || key === "stack" || key === "issues") continue;
    fields[key] = boundedValue(
      (error as unknown as Record<string, unknown>)[key],
      maxString,
      depth + 1,
    );
  }
  if (error.cause !== undefined && depth < maxDepth) {
    fields.cause = boundedValue(error.cause, maxString, depth + 1);
  }
  return fields;
}

/**
 * A copy of a logged value small enough for one log line: long strings cut, long lists and
 * objects shortened, deep nesting and cycles replaced by a marker, errors made plain. A provider
 * answer of many megabytes (or a validation error listing each of its rows) thus stays a line
 * of a few kilobytes.
 */
export function boundedValue(
  value: unknown,
  maxString: number,
  depth = 0,
  seen = new WeakSet<object>(),
): unknown {
  if (typeof value === "string") return truncate(value, maxString);
  if (typeof value === "bigint") return String(value);
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Error) return boundedError(value, maxString, depth);
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (depth >= maxDepth) return "[…]";
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (Array.isArray(value)) {
    const items = value
      .slice(0, maxItems)
      .map((item) => boundedValue(item, maxString, depth + 1, seen));
    if (value.length > maxItems) items.push(`…[${value.length - maxItems} more items]`);
    return items;
  }
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === "function") return boundedValue(json.call(value), maxString, depth + 1, seen);
  const keys = Object.keys(value);
  const copy: Record<string, unknown> = {};
  for (const key of keys.slice(0, maxKeys)) {
    copy[key] = boundedValue((value as Record<string, unknown>)[key], maxString, depth + 1, seen);
  }
  if (keys.length > maxKeys) copy["…"] = `${keys.length - maxKeys} more keys`;
  return copy;
}

/**
 * The last resort for a line still over the cap: its level, time, bindings and a cut message,
 * marked with the size it had.
 */
export function shrinkLine(line: string, maxLineBytes: number): string {
  const bytes = Buffer.byteLength(line);
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    // Not JSON: only the size is kept.
  }
  const kept: Record<string, unknown> = { logLineTruncated: bytes };
  for (const key of ["level", "time", "pid", "hostname", "service", "component"]) {
    const field = parsed[key];
    if (typeof field === "string" || typeof field === "number") kept[key] = field;
  }
  const message = typeof parsed.msg === "string" ? parsed.msg : "";
  kept.msg = truncate(message, Math.min(512, Math.floor(maxLineBytes / 4)));
  return `${JSON.stringify(kept)}\n`;
}
