// A small seeded generator of malformed IPC payloads, derived from a channel's zod schema: a valid sample first
// (every field present, every path one the user chose), then one or more targeted breakages of it. Each breakage
// is invalid by construction (a wrong type, a missing required field, an unknown or prototype key, a string or
// array over its cap, a number out of range, control characters, unpaired surrogates, deep nesting, a cycle, a
// path the user never chose), so a payload that is accepted is a hole in the contract or the registry.
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { pathFields, type PathAccess } from '../../preload/contract';

/** mulberry32: tiny, fast and good enough to pick mutations reproducibly. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzPaths {
  /** A path granted for this access: what a valid request names. */
  valid: Record<PathAccess, string>;
  /** A file granted for reading, and one granted for writing (each is the wrong grant for the other access). */
  grantedRead: string;
  grantedWrite: string;
  /** A folder granted for saving into. */
  grantedFolder: string;
  /** The app's data folder: never granted. */
  dataDir: string;
}

export interface MalformedPayload {
  label: string;
  payload: unknown;
}

type Def = { type: string } & Record<string, unknown>;
type Check = { check: string; minimum?: number; maximum?: number; value?: number; format?: string; pattern?: RegExp };
type Key = string | number;

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (schema: z.ZodType): Check[] =>
  ((defOf(schema).checks as Array<{ _zod: { def: Check } }> | undefined) ?? []).map((c) => c._zod.def);
const limit = (schema: z.ZodType, check: string, field: 'minimum' | 'maximum'): number | undefined =>
  checksOf(schema).find((c) => c.check === check)?.[field];

// Built once: copying megabytes per payload would make the run slow, and the bytes are the same anyway.
const HUGE = 'x'.repeat(2 * 1024 * 1024);
const HUGE_PASS_CONTENT = 'p'.repeat(1_000_001);
const TOO_MANY_VALUES = new Array<number>(300_000).fill(0);

function nested(depth: number, leaf: unknown, asArray: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { n: value };
  return value;
}

function withOwnKey(base: Record<string, unknown>, json: string): Record<string, unknown> {
  // JSON.parse makes "__proto__" an own key (not the prototype), as a payload from a page would carry it.
  return { ...(JSON.parse(json) as Record<string, unknown>), ...base };
}

/** Text no field may hold: control characters (NUL included) and unpaired surrogates. */
const BAD_TEXT = ['a\u0000b', '\u0000', 'name\u001b[31m', '\u0007bell', 'x\u007f', '\ud800', 'tail\ud83d', '\udfffhead', 'a\u0008b'];

/** A site is one place in the sample: its schema, where it is, and whether it may be left out. */
interface Site {
  at: Key[];
  schema: z.ZodType;
  optional: boolean;
}

export class PayloadFuzzer {
  private readonly sites: Site[] = [];
  readonly sample: unknown;

  /** `variant` picks the option of every union in the schema (a draft is a cert upload or a pass update). */
  constructor(
    readonly schema: z.ZodType,
    private readonly paths: FuzzPaths,
    private readonly variant = 0,
  ) {
    this.sample = this.build(schema, [], false);
  }

  /** How many variants the schema has: the most options of any union in it (1 without unions). */
  static variants(schema: z.ZodType): number {
    const def = defOf(schema);
    switch (def.type) {
      case 'optional':
        return PayloadFuzzer.variants(def.innerType as z.ZodType);
      case 'object':
        return Math.max(1, ...Object.values(def.shape as Record<string, z.ZodType>).map((f) => PayloadFuzzer.variants(f)));
      case 'array':
        return PayloadFuzzer.variants(def.element as z.ZodType);
      case 'union': {
        const options = def.options as z.ZodType[];
        return Math.max(options.length, ...options.map((o) => PayloadFuzzer.variants(o)));
      }
      default:
        return 1;
    }
  }

  /** The deterministic breakages, then random ones (junk values, several breakages at once) up to `count`. */
  *payloads(count: number, rng: () => number): Generator<MalformedPayload> {
    const fixed = this.fixedMutations();
    if (fixed.length === 0) throw new Error('No mutation applies to this schema: add one to the generator.');
    let produced = 0;
    for (const mutation of fixed) {
      if (produced++ >= count) return;
      yield mutation();
    }
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
    while (produced++ < count) {
      const roll = rng();
      if (roll < 0.45) {
        yield this.randomJunk(pick(this.sites), rng);
      } else if (roll < 0.75) {
        // Two or three breakages in one payload, at sites that do not contain each other.
        const chosen: Site[] = [];
        for (let i = 0; i < 3 && chosen.length < 1 + Math.floor(rng() * 3); i++) {
          const site = pick(this.sites);
          if (chosen.every((c) => !isPrefix(c.at, site.at) && !isPrefix(site.at, c.at))) chosen.push(site);
        }
        let payload = structuredClone(this.sample);
        const labels: string[] = [];
        for (const site of chosen) {
          const values = this.invalidValues(site, rng);
          const [label, value] = pick(values);
          payload = setAt(payload, site.at, value);
          labels.push(`${describe(site.at)}=${label}`);
        }
        yield { label: `combined ${labels.join(' & ')}`, payload };
      } else {
        yield pick(fixed)();
      }
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // The valid sample

  private build(schema: z.ZodType, at: Key[], optional: boolean): unknown {
    const tag = pathFields.get(schema);
    if (tag) {
      this.sites.push({ at, schema, optional });
      return this.paths.valid[tag.access];
    }
    const def = defOf(schema);
    switch (def.type) {
      case 'optional':
        return this.build(def.innerType as z.ZodType, at, true);
      case 'object': {
        this.sites.push({ at, schema, optional });
        const out: Record<string, unknown> = {};
        for (const [key, field] of Object.entries(def.shape as Record<string, z.ZodType>)) {
          out[key] = this.build(field, [...at, key], false);
        }
        return out;
      }
      case 'array': {
        this.sites.push({ at, schema, optional });
        const max = limit(schema, 'max_length', 'maximum') ?? 1;
        return max >= 1 ? [this.build(def.element as z.ZodType, [...at, 0], false)] : [];
      }
      case 'union': {
        const options = def.options as z.ZodType[];
        const chosen = options[this.variant % options.length];
        if (!chosen) throw new Error(`An empty union at ${describe(at)}.`);
        return this.build(chosen, at, optional);
      }
      case 'string':
      case 'number':
      case 'boolean':
      case 'enum':
      case 'literal':
      case 'unknown': {
        this.sites.push({ at, schema, optional });
        return validLeaf(schema, at);
      }
      default:
        throw new Error(`The fuzzer has no generator for a ${def.type} schema (at ${describe(at)}): add one.`);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Breakages

  private fixedMutations(): Array<() => MalformedPayload> {
    const out: Array<() => MalformedPayload> = [];
    const add = (label: string, make: () => unknown) => out.push(() => ({ label, payload: make() }));
    // The request as a whole is not an object.
    for (const [label, value] of [
      ['undefined', undefined],
      ['null', null],
      ['a string', 'eng'],
      ['a number', 42],
      ['true', true],
      ['an empty array', []],
      ['the sample in an array', [this.sample]],
      ['a Map', new Map([['a', 1]])],
      ['a Date', new Date(0)],
      ['a RegExp', /x/],
      ['a typed array', new Uint8Array(4)],
    ] as Array<[string, unknown]>) {
      add(`request is ${label}`, () => value);
    }
    for (const site of this.sites) {
      for (const [label, value] of this.invalidValues(site, createRng(1))) {
        add(`${describe(site.at)}: ${label}`, () => setAt(structuredClone(this.sample), site.at, value));
      }
      if (!site.optional && site.at.length > 0 && typeof site.at[site.at.length - 1] === 'string') {
        add(`${describe(site.at)}: missing`, () => deleteAt(structuredClone(this.sample), site.at));
      }
    }
    return out;
  }

  /** Values that make the site invalid whatever the rest of the payload holds, each with a label. */
  private invalidValues(site: Site, rng: () => number): Array<[string, unknown]> {
    const { schema } = site;
    const current = getAt(this.sample, site.at);
    const tag = pathFields.get(schema);
    const type = tag ? 'path' : defOf(schema).type;
    const out: Array<[string, unknown]> = [];
    const wrongTypes = (except: string) => {
      const all: Array<[string, unknown]> = [
        ['number', 7],
        ['boolean', false],
        ['null', null],
        ['string', 'text'],
        ['array', ['text']],
        ['object', { value: 'text' }],
        ['Map', new Map()],
      ];
      for (const [label, value] of all) if (label !== except) out.push([`wrong type ${label}`, value]);
    };
    const badText = () => {
      for (const text of BAD_TEXT) out.push([`bad text ${JSON.stringify(text)}`, text]);
    };
    switch (type) {
      case 'path':
      case 'string': {
        wrongTypes('string');
        badText();
        const max = limit(schema, 'max_length', 'maximum');
        const min = limit(schema, 'min_length', 'minimum');
        if (max !== undefined) out.push([`${max + 1} characters`, 'a'.repeat(max + 1)]);
        if (max !== undefined && max < HUGE.length) out.push(['2 MB string', HUGE]);
        if (min !== undefined && min > 0) out.push(['empty string', '']);
        if (checksOf(schema).some((c) => c.format === 'regex')) out.push(['outside its pattern', 'a b<>']);
        if (tag) for (const [label, path] of this.pathsOutside(tag.access)) out.push([`path ${label}`, path]);
        break;
      }
      case 'number': {
        wrongTypes('number');
        out.push(['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['numeric string', '1']);
        const checks = checksOf(schema);
        const min = checks.find((c) => c.check === 'greater_than')?.value;
        const max = checks.find((c) => c.check === 'less_than')?.value;
        if (min !== undefined) out.push(['below its minimum', min - 1], ['-1e308', -1e308]);
        if (max !== undefined) out.push(['above its maximum', max + 1], ['1e308', 1e308]);
        if (checks.some((c) => c.format === 'safeint')) out.push(['a fraction', 1.5], ['2^53 + 2', 2 ** 53 + 2]);
        break;
      }
      case 'boolean':
        wrongTypes('boolean');
        out.push(['"true"', 'true'], ['1', 1]);
        break;
      case 'enum':
      case 'literal':
        wrongTypes(typeof current === 'string' ? 'string' : 'number');
        out.push(['unknown member', 'not-a-member'], ['upper-cased member', String(current).toUpperCase() + '!'], ['empty', '']);
        badText();
        break;
      case 'unknown':
        // Free-form JSON takes any shape: only what no JSON request may carry breaks it.
        out.push(
          ['over 1,000,000 characters', HUGE_PASS_CONTENT],
          ['nested 100 deep (objects)', nested(100, 1, false)],
          ['nested 10,000 deep (arrays)', nested(10_000, 1, true)],
          ['300,000 values', TOO_MANY_VALUES],
          ['an own __proto__ key', JSON.parse('{"a":{"__proto__":{"polluted":"yes"}}}')],
          ['a constructor.prototype key', JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}')],
          ['a prototype key', { recipients: { prototype: { polluted: 'yes' } } }],
          ['a cycle', cyclic()],
          ['a Map', new Map([['a', 1]])],
          ['a Date inside', { when: new Date(0) }],
          ['a BigInt', { id: 10n }],
        );
        for (const text of BAD_TEXT) out.push([`bad text ${JSON.stringify(text)} inside`, { message: text }]);
        break;
      case 'array': {
        wrongTypes('array');
        out.push(['an array-like object', { 0: getAt(current, [0]), length: 1 }]);
        const max = limit(schema, 'max_length', 'maximum');
        const min = limit(schema, 'min_length', 'minimum');
        const element = Array.isArray(current) ? current[0] : undefined;
        if (max !== undefined && element !== undefined) out.push([`${max + 1} entries`, overfull(element, max + 1)]);
        if (min !== undefined && min > 0) out.push(['empty array', []]);
        out.push(['a hole-y array with null', [null]]);
        break;
      }
      case 'object': {
        const base = (current ?? {}) as Record<string, unknown>;
        wrongTypes('object');
        out.push(
          ['an array', [base]],
          ['a Date', new Date(0)],
          ['an unknown key', { ...base, unexpected: true }],
          ['an unknown key with a 2 MB name', { ...base, [HUGE.slice(0, 1_000_000)]: 1 }],
          ['an own __proto__ key', withOwnKey(base, '{"__proto__":{"polluted":"yes"}}')],
          ['an own constructor key', withOwnKey(base, '{"constructor":{"prototype":{"polluted":"yes"}}}')],
          ['an own prototype key', withOwnKey(base, '{"prototype":{"polluted":"yes"}}')],
          ['an unknown key nested 1,000 deep', { ...base, deep: nested(1000, 'x', false) }],
          ['a cycle', cyclic(base)],
          ['an unknown key holding bad text', { ...base, note: 'a\u0000' }],
        );
        break;
      }
      default:
        throw new Error(`No breakages for a ${type} schema (at ${describe(site.at)}).`);
    }
    // Random junk of the wrong kind, so the random phase does not only replay the fixed list.
    if (type !== 'unknown') out.push(['random junk', junk(rng, type === 'path' ? 'string' : type)]);
    return out;
  }

  private randomJunk(site: Site, rng: () => number): MalformedPayload {
    const values = this.invalidValues(site, rng);
    const [label, value] = values[Math.floor(rng() * values.length)]!;
    return { label: `${describe(site.at)}: ${label} (random)`, payload: setAt(structuredClone(this.sample), site.at, value) };
  }

  /** Paths the user never chose (for this access): other files, the app's data, relative, URL, NUL, "..". */
  private pathsOutside(access: PathAccess): Array<[string, string]> {
    const { grantedRead, grantedWrite, grantedFolder, dataDir } = this.paths;
    const valid = this.paths.valid[access];
    const list: Array<[string, string]> = [
      ['/etc/passwd', '/etc/passwd'],
      ['/etc/shadow', '/etc/shadow'],
      ['the root folder', '/'],
      ['the data folder', dataDir],
      ['the settings file', join(dataDir, 'config.json')],
      ['the drafts store', join(dataDir, 'drafts', 'index.json')],
      ['the history', join(dataDir, 'history', 'history.jsonl')],
      ['relative', 'cert.p12'],
      ['relative with ..', '../../etc/passwd'],
      ['dot-relative', './x.p12'],
      ['home shorthand', '~/.ssh/id_rsa'],
      ['UNC', '\\\\server\\share\\cert.p12'],
      ['UNC with slashes', '//server/share/cert.p12'],
      ['Windows drive', 'C:\\Windows\\System32\\config\\SAM'],
      ['file URL', 'file:///etc/passwd'],
      ['file URL of a granted file', `file://${valid}`],
      ['NUL after a granted path', `${valid}\u0000.png`],
      ['.. back into a granted path', `${dirname(valid)}/../${basename(dirname(valid))}/${basename(valid)}`],
      ['granted path with /./', `${dirname(valid)}/./${basename(valid)}`],
      ['granted path with a trailing slash', `${valid}/`],
      ['granted path with a doubled slash', `${dirname(valid)}//${basename(valid)}`],
      ['a sibling of a granted file', join(dirname(valid), `not-chosen-${basename(valid)}`)],
      ['inside a granted folder, not created by main', join(grantedFolder, 'planted.p12')],
      ['below a granted folder', join(grantedFolder, 'sub', 'x.p12')],
    ];
    if (access === 'read') list.push(['granted for writing only', grantedWrite]);
    if (access === 'write') list.push(['granted for reading only', grantedRead], ['a child of a granted folder', join(grantedFolder, 'x.p12')]);
    if (access === 'reveal') list.push(['a granted folder itself', grantedFolder]);
    return list;
  }
}

function validLeaf(schema: z.ZodType, at: Key[]): unknown {
  const def = defOf(schema);
  const candidates: unknown[] =
    def.type === 'string'
      ? ['a', 'Sample-1', '0'.repeat(64), '2026-01-01T00:00:00.000Z', 'https://example.com/vpns', 'X-Api-Key']
      : def.type === 'number'
        ? [1, 0, 8]
        : def.type === 'boolean'
          ? [true]
          : def.type === 'enum'
            ? Object.values(def.entries as Record<string, unknown>)
            : def.type === 'literal'
              ? (def.values as unknown[])
              : [{}];
  const found = candidates.find((c) => schema.safeParse(c).success);
  if (found === undefined) throw new Error(`No valid sample value for the ${def.type} at ${describe(at)}: add a candidate.`);
  return found;
}

/** Wrong-kind junk with random content: never of the site's own type. */
function junk(rng: () => number, type: string): unknown {
  const text = () => Array.from({ length: 1 + Math.floor(rng() * 40) }, () => String.fromCharCode(Math.floor(rng() * 0xffff))).join('');
  const makers: Record<string, () => unknown> = {
    string: () => Math.floor(rng() * 1e9),
    number: () => text(),
    boolean: () => (rng() < 0.5 ? text() : Math.floor(rng() * 10)),
    enum: () => `${text()}!`,
    literal: () => `${text()}!`,
    array: () => ({ [text()]: text() }),
    object: () => [text(), rng()],
  };
  const make = makers[type];
  if (!make) throw new Error(`No junk for ${type}.`);
  return make();
}

function cyclic(base: Record<string, unknown> = {}): Record<string, unknown> {
  const value: Record<string, unknown> = { ...base };
  value.self = value;
  return value;
}

const overfullCache = new Map<string, unknown[]>();
function overfull(element: unknown, length: number): unknown[] {
  const key = `${length}:${JSON.stringify(element)}`;
  let list = overfullCache.get(key);
  if (!list) {
    list = Array.from({ length }, () => structuredClone(element));
    overfullCache.set(key, list);
  }
  return list;
}

function describe(at: Key[]): string {
  return at.length === 0 ? 'request' : at.join('.');
}

function isPrefix(prefix: Key[], of: Key[]): boolean {
  return prefix.length <= of.length && prefix.every((k, i) => k === of[i]);
}

function getAt(value: unknown, at: Key[]): unknown {
  let node = value;
  for (const key of at) node = (node as Record<Key, unknown> | undefined)?.[key];
  return node;
}

/** Replaces the value at `at` (the whole payload when `at` is empty). */
function setAt(root: unknown, at: Key[], value: unknown): unknown {
  if (at.length === 0) return value;
  const parent = getAt(root, at.slice(0, -1)) as Record<Key, unknown>;
  parent[at[at.length - 1]!] = value;
  return root;
}

function deleteAt(root: unknown, at: Key[]): unknown {
  const parent = getAt(root, at.slice(0, -1)) as Record<Key, unknown>;
  delete parent[at[at.length - 1]!];
  return root;
}
