// Exhaustiveness at compile time (style.md 6): a switch over a code, sub-code or kind ends in
// `default: return assertNever(x)`, so adding a member to the union fails to type-check until every switch handles it.

/** Never returns; reaching it at run time means data outside its declared type (e.g. from an older file). */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
