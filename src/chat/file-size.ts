const mebibyte = 1024 * 1024;

/** "640 KB", "9.6 MB": a file size as chat messages show it. */
export function describeSize(bytes: number): string {
  if (bytes < mebibyte) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${Math.round((bytes / mebibyte) * 10) / 10} MB`;
}

/** "4 s", "12.5 s". */
export function describeSeconds(seconds: number): string {
  return `${Math.round(seconds * 10) / 10} s`;
}
