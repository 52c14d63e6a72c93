// A request body read strictly, in linear time: UTF-8 with no invalid byte
// (node's decoder would put U+FFFD in their place and the value would be
// stored changed), no byte order mark, no object key given twice (JSON.parse
// keeps the last one, and so would the merchant's own parser: the two sides
// would read different requests), and nesting bounded before JSON.parse runs
// (its cost grows much faster than the depth).
import { MAX_JSON_DEPTH } from './limits.js';
import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './char-codes.js';

export type StrictJson = { value: unknown } | { problem: string; field: string; issue: string };

// fatal: an invalid byte throws; ignoreBOM: a leading BOM stays in the text, where JSON.parse refuses it.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function parseStrictJson(raw: Uint8Array): StrictJson {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return { problem: 'body is not UTF-8', field: '(body)', issue: 'encoding' };
  }
  const scan = scanKeys(text);
  if (scan === 'too-deep') return { problem: `body nests deeper than ${MAX_JSON_DEPTH} levels`, field: '(body)', issue: 'depth' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'body is not valid JSON', field: '(body)', issue: 'json' };
  }
  if (scan) return { problem: `${scan} is given more than once in the body`, field: scan, issue: 'repeatedKey' };
  return { value };
}


interface Frame {
  /** The keys seen, for an object; undefined for an array. */
  keys: Set<string> | undefined;
  /** The container's path (`a.b[2]`), as validation names fields. */
  path: string;
  index: number;
  lastKey: string;
}

/**
 * One pass over the text: the path of the first key repeated in its object,
 * `too-deep`, or undefined. On text that is not JSON the answer means
 * nothing; JSON.parse refuses that text next.
 */
function scanKeys(text: string): string | 'too-deep' | undefined {
  const stack: Frame[] = [];
  let expectKey = false;
  let repeated: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i++;
      let escaped = false;
      for (; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === QUOTE) break;
        if (d === BACKSLASH) (escaped = true), i++;
      }
      if (!expectKey) continue;
      expectKey = false;
      const frame = stack[stack.length - 1]!;
      const key = escaped ? unescapeKey(text.slice(start, i + 1)) : text.slice(start + 1, i);
      if (key === undefined) continue;
      if (frame.keys!.has(key)) repeated ??= join(frame.path, key);
      frame.keys!.add(key);
      frame.lastKey = key;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (stack.length === MAX_JSON_DEPTH) return 'too-deep';
      const parent = stack[stack.length - 1];
      const path = !parent ? '' : parent.keys ? join(parent.path, parent.lastKey) : `${parent.path}[${parent.index}]`;
      stack.push({ keys: c === OPEN_OBJECT ? new Set() : undefined, path, index: 0, lastKey: '' });
      expectKey = c === OPEN_OBJECT;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
      expectKey = false;
    } else if (c === COMMA) {
      const frame = stack[stack.length - 1];
      if (frame) frame.index++;
      expectKey = frame?.keys !== undefined;
    }
  }
  return repeated;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function unescapeKey(quoted: string): string | undefined {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return undefined;
  }
}
