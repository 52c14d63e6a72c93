// What to do about a refusal, where the generator can tell: one table of
// rows, each a pattern over the refusal's sentence and the hint it earns.
// SpecError prints the hint after the sentence. Tested row by row in
// test/generator/hints.test.ts.

/** How to turn a Swagger 2.0 document, or one that mixes Swagger into OpenAPI 3, into a spec this generator reads. */
export const CONVERT_HINT = 'convert it first: wechatpay-membercard-generator import SOURCE --out FILE';

/** The format WeChat's own descriptions use for a value of each known format. */
const FORMAT_ALIASES: Record<string, string> = { rfc3339: 'date-time', datetime: 'date-time', 'date_time': 'date-time', timestamp: 'date-time', url: 'uri' };

interface Row {
  /** Matched against the refusal's sentence. */
  when: RegExp;
  hint(match: RegExpMatchArray): string | undefined;
}

export const HINTS: readonly Row[] = [
  {
    when: /^format "base64" is not supported on a string/,
    hint: () => 'format base64 marks encrypted fields: use x-wechatpay-encryption: rsa-oaep-sha1 (the client encrypts, and checks the ciphertext is base64)',
  },
  {
    // `format "X" is not supported on a string; supported: a, b, c`
    when: /^format "([^"]*)" is not supported on an? \w+; supported: (.+)$/,
    hint: ([, format, supported]) => {
      const known = supported!.split(', ');
      const alias = FORMAT_ALIASES[format!.toLowerCase()];
      const near = alias !== undefined && known.includes(alias) ? alias : known.find((k) => editDistance(k, format!.toLowerCase()) <= 2);
      return near === undefined ? undefined : `did you mean ${near}?`;
    },
  },
  { when: /Swagger|#\/definitions\/|`in: (body|formData)`/, hint: () => CONVERT_HINT },
];

/** The hint of the first row whose pattern matches `sentence`. */
export function hintFor(sentence: string): string | undefined {
  for (const row of HINTS) {
    const m = sentence.match(row.when);
    if (m) return row.hint(m);
  }
  return undefined;
}

/** Levenshtein distance: how many one-character edits turn a into b. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
