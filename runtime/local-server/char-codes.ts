// The character codes the local server's hand-written scanners compare bytes
// with (auth.ts: the Authorization header; strict-json.ts: repeated keys and
// depth in a JSON body), named once.
export const TAB = 0x09;
export const SP = 0x20;
export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const EQUALS = 0x3d;
export const OPEN_ARRAY = 0x5b;
export const BACKSLASH = 0x5c;
export const CLOSE_ARRAY = 0x5d;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
