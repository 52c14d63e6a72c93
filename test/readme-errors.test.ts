// The README's lists of VerificationError.reason and NotificationError.check
// are the code's own unions, read from runtime/errors.ts by the TypeScript
// checker: a member added, renamed or removed on either side fails here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

const ERRORS = path.join(ROOT, 'runtime/errors.ts');
// ES5's lib is enough for the unions (Exclude lives there) and far quicker to load than the full one.
const program = ts.createProgram([ERRORS], { strict: true, noEmit: true, lib: ['lib.es5.d.ts'], types: [] });

/** The string literals of the union type alias `name` in runtime/errors.ts, in order. */
function unionMembers(name: string): string[] {
  const file = ERRORS;
  const checker = program.getTypeChecker();
  const alias = program.getSourceFile(file)!.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
  if (!alias) throw new Error(`runtime/errors.ts declares no type ${name}`);
  const type = checker.getTypeAtLocation(alias.name);
  return (type.isUnion() ? type.types : [type]).map((t) => {
    if (!t.isStringLiteral()) throw new Error(`${name} has a member that is not a string literal: ${checker.typeToString(t)}`);
    return t.value;
  });
}

/** Text with every parenthesized remark taken out (they hold backticks of their own). */
function withoutRemarks(text: string): string {
  let out = '';
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

/** The backticked names of the README list that follows `lead`, up to where the list ends. */
function readmeList(lead: string, end: string): string[] {
  const at = README.indexOf(lead);
  if (at < 0) throw new Error(`the README no longer says ${JSON.stringify(lead)}`);
  const text = README.slice(at + lead.length, README.indexOf(end, at + lead.length));
  return [...withoutRemarks(text).matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
}

describe('the README’s error lists follow the code', () => {
  it.each([
    { list: 'VerificationError.reason', union: 'VerificationReason', lead: '`VerificationError.reason`, one per way a response can fail:', end: '\n' },
    // That list stands in parentheses; its own remarks are in nested ones.
    { list: 'NotificationError.check', union: 'NotificationCheck', lead: 'whose `check` names what failed (', end: '; it never holds' },
  ])('$list lists exactly the members of $union', ({ union, lead, end }) => {
    const listed = readmeList(lead, end);
    const members = unionMembers(union);
    expect(members.length).toBeGreaterThan(5);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...members].sort());
  });
});
