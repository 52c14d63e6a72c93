// The summaries every bench prints: medians, and ratios to the floor taken
// within each round (same machine state) and then summarised over rounds.

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Each round's `of(name)` over the same round's `of(floor)`. */
export function roundRatios<S>(rounds: Record<string, S[]>, name: string, of: (s: S) => number, floor = 'floor'): number[] {
  return rounds[name]!.map((s, i) => of(s) / of(rounds[floor]![i]!));
}

/** `median× (min–max)` of per-round ratios. */
export function spread(ratios: number[]): string {
  return `${median(ratios).toFixed(3)}× (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`;
}
