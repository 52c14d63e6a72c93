// Strings made from a `pattern` (a JavaScript regular expression, `u` flag,
// as JSON Schema's pattern), for the synthesizer: the parts real specs use,
// that is literals, character classes and escapes (\d \w \s, ranges,
// negated classes), `.`, groups, alternation, quantifiers (? * + {n} {n,}
// {n,m}) and the anchors ^ and $. Lookarounds, backreferences, word
// boundaries and Unicode property escapes are refused with a sentence. The
// caller checks every string made here against the pattern itself, so a
// string this module gets wrong is never sent, only not found.

/** Thrown for a construct this module does not make strings for. */
export class UnsupportedPattern extends Error {}

/** How to expand: `grow` more repetitions than each quantifier's minimum (up to its maximum); `last`: take the last alternative instead of the first. */
export interface Expansion {
  grow: number;
  last: boolean;
}

type Node =
  | { kind: 'char'; pick: string }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

/** Parses `pattern` once; the result makes one string per expansion. Throws UnsupportedPattern. */
export function patternMaker(pattern: string): (e: Expansion) => string {
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    throw new UnsupportedPattern(`it is not a valid regular expression with the u flag: ${(e as Error).message}`);
  }
  const node = new Parser(pattern).parse();
  return (e) => make(node, e);
}

function make(node: Node, e: Expansion): string {
  switch (node.kind) {
    case 'char':
      return node.pick;
    case 'seq':
      return node.items.map((n) => make(n, e)).join('');
    case 'alt':
      return make(node.options[e.last ? node.options.length - 1 : 0]!, e);
    case 'repeat': {
      const count = Math.min(node.max, node.min + e.grow);
      return make(node.node, e).repeat(count);
    }
  }
}

// A character a class matches, in this order of preference, found by testing
// the class itself (compiled with the pattern's `u` flag): for a negated class
// or an escape like \D, the first of these it accepts.
const PREFERRED = ['a', 'A', '0', '1', '_', '-', 'x', 'Z', '9', ' ', '.', '@', '中'];

class Parser {
  private at = 0;

  constructor(private readonly source: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at < this.source.length) throw this.unsupported(`an unmatched ${this.source[this.at]}`);
    return node;
  }

  private unsupported(what: string): UnsupportedPattern {
    return new UnsupportedPattern(`${what} at offset ${this.at}`);
  }

  private peek(): string | undefined {
    return this.source[this.at];
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.at++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      if (c === '^' || c === '$') {
        // Anchors make no characters (the checked result shows whether they hold where they stand).
        this.at++;
        continue;
      }
      items.push(this.quantified(this.atom()));
    }
    return items.length === 1 ? items[0]! : { kind: 'seq', items };
  }

  private quantified(node: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '?' || c === '*' || c === '+') {
      this.at++;
      [min, max] = c === '?' ? [0, 1] : c === '*' ? [0, Infinity] : [1, Infinity];
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
      if (!m) throw this.unsupported('a { that is not a quantifier');
      this.at += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else return node;
    if (this.peek() === '?') this.at++; // lazy: the same strings
    if (max < min) throw this.unsupported(`the quantifier {${min},${max}}`);
    return { kind: 'repeat', node, min, max };
  }

  private atom(): Node {
    const c = this.peek()!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '.') {
      this.at++;
      return { kind: 'char', pick: 'a' };
    }
    if (c === '\\') return this.escape();
    if ('*+?{}]'.includes(c)) throw this.unsupported(`a ${c} with nothing to repeat`);
    const ch = String.fromCodePoint(this.source.codePointAt(this.at)!);
    this.at += ch.length;
    return { kind: 'char', pick: ch };
  }

  private group(): Node {
    const rest = this.source.slice(this.at + 1);
    if (/^\?[=!]|^\?<[=!]/.test(rest)) throw this.unsupported('a lookaround');
    this.at++;
    const named = /^\?<[A-Za-z_$][\w$]*>/.exec(rest);
    if (named) this.at += named[0].length;
    else if (rest.startsWith('?:')) this.at += 2;
    else if (rest.startsWith('?')) throw this.unsupported('a group modifier');
    const node = this.alternation();
    if (this.peek() !== ')') throw this.unsupported('an unclosed group');
    this.at++;
    return node;
  }

  /** A bracketed class, kept as its source and tested with the regex engine for the preferred character. */
  private charClass(): Node {
    const start = this.at;
    this.at++;
    if (this.peek() === '^') this.at++;
    let first: string | undefined;
    for (let c = this.peek(); c !== ']'; c = this.peek()) {
      if (c === undefined) throw this.unsupported('an unclosed [');
      if (c === '\\') {
        const escaped = this.source[this.at + 1];
        if (escaped === undefined) throw this.unsupported('a \\ at the end');
        if (escaped === 'p' || escaped === 'P') throw this.unsupported('a Unicode property escape');
        const e = /^\\(u\{[0-9A-Fa-f]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z]|.)/u.exec(this.source.slice(this.at))!;
        first ??= decode(e[1]!);
        this.at += e[0].length;
      } else {
        const ch = String.fromCodePoint(this.source.codePointAt(this.at)!);
        first ??= ch;
        this.at += ch.length;
      }
    }
    this.at++;
    return { kind: 'char', pick: pickFor(this.source.slice(start, this.at), first) };
  }

  private escape(): Node {
    const rest = this.source.slice(this.at);
    const e = /^\\(u\{[0-9A-Fa-f]+\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z]|[pP]\{[^}]*\}|\d+|k<[^>]*>|.)/u.exec(rest);
    if (!e) throw this.unsupported('a \\ at the end');
    const body = e[1]!;
    if (body === 'b' || body === 'B') throw this.unsupported('a word boundary');
    if (/^[1-9]/.test(body) || body.startsWith('k<')) throw this.unsupported('a backreference');
    if (/^[pP]/.test(body)) throw this.unsupported('a Unicode property escape');
    this.at += e[0].length;
    if ('dDwWsS'.includes(body)) return { kind: 'char', pick: pickFor(e[0], undefined) };
    return { kind: 'char', pick: decode(body) };
  }
}

/** The character an escape's body stands for (after the \). */
function decode(body: string): string {
  const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', v: '\v', f: '\f', '0': '\0' };
  if (body in simple) return simple[body]!;
  if (body.startsWith('u{')) return String.fromCodePoint(parseInt(body.slice(2, -1), 16));
  if (body.startsWith('u') && body.length === 5) return String.fromCharCode(parseInt(body.slice(1), 16));
  if (body.startsWith('x') && body.length === 3) return String.fromCharCode(parseInt(body.slice(1), 16));
  if (body.startsWith('c') && body.length === 2) return String.fromCharCode(body.charCodeAt(1) % 32);
  if (body === 'd') return '0';
  if (body === 'w') return 'a';
  if (body === 's') return ' ';
  return body;
}

/** A character `set` (a class or a class escape) matches: its first listed character when it has one that fits, else a preferred one. */
function pickFor(set: string, first: string | undefined): string {
  const test = new RegExp(`^${set}$`, 'u');
  const found = [...(first === undefined ? [] : [first]), ...PREFERRED].find((c) => test.test(c));
  if (found === undefined) throw new UnsupportedPattern(`no character found for ${set}`);
  return found;
}
