// A copy of a page's text with each edit applied once; an edit that matches nothing fails the test.
export function applyEdits(label: string, text: string, edits: [RegExp | string, string][]): string {
  for (const [from, to] of edits) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`${label}: ${String(from)} matches nothing`);
    text = next;
  }
  return text;
}
