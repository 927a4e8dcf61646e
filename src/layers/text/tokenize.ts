/** How a standardized text is split into tokens. */
export type Split = 'whitespace' | 'character' | null;

/** Splits one text into tokens (`null`: the whole text is one token). */
export function splitText(text: string, split: Split): string[] {
  if (split === null) return [text];
  if (split === 'character') return Array.from(text);
  return text.split(/\s+/).filter((t) => t.length > 0);
}
