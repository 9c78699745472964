/** Lower case without accents, so "Café" and "cafe" match the same rule. */
export function foldText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();
}

/** Compiles the operator's patterns (regular expressions), folded like the prompts they check. */
export function compileBlocklist(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => new RegExp(foldText(pattern), "u"));
}

/** The 1-based number of the first rule the prompt matches, or undefined. */
export function matchedRule(prompt: string, rules: readonly RegExp[]): number | undefined {
  const folded = foldText(prompt);
  const index = rules.findIndex((rule) => rule.test(folded));
  return index === -1 ? undefined : index + 1;
}
