/**
 * Escapes text for one option value inside an ffmpeg filtergraph: first for the option parser
 * (`\`, `'`, `:`), then for the graph parser (`\`, `'`, `[`, `]`, `,`, `;`).
 */
export function escapeFilterValue(text: string): string {
  const optionLevel = text.replace(/[\\':]/g, "\\$&");
  return optionLevel.replace(/[\\'[\],;]/g, "\\$&");
}

/** Printable text only: control characters would show as boxes or end the line early. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/[\u0000-\u001f\u007f]/g, " ");
}

/** Word-wraps a caption into at most `maxLines` lines, ending with "…" when it was cut. */
export function wrapCaption(text: string, charactersPerLine: number, maxLines: number): string[] {
  const words = printable(text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const pieces = word.match(new RegExp(`.{1,${charactersPerLine}}`, "gu")) ?? [];
    for (const piece of pieces) {
      if (line.length === 0) line = piece;
      else if (line.length + 1 + piece.length <= charactersPerLine) line = `${line} ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
  }
  if (line.length > 0) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1] ?? "";
  kept[maxLines - 1] = `${last.slice(0, Math.max(0, charactersPerLine - 1))}…`;
  return kept;
}
