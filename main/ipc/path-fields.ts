// Finds every file path a parsed request names, by walking the channel's schema next to the data: the contract
// tags path fields (pathFields in preload/contract/), so a new path field is checked without a change here.
// Fails closed: a schema shape it does not know throws, and the registry turns that into a refused call.
import type { z } from 'zod';
import { pathFields, type PathAccess } from '../../preload/contract';

export interface PathUse {
  path: string;
  access: PathAccess;
  /** Where in the request, e.g. images.2.path. */
  field: string;
}

type Def = { type: string } & Record<string, unknown>;

const LEAVES = new Set(['string', 'number', 'boolean', 'enum', 'literal', 'unknown', 'undefined', 'null', 'never']);

export function pathsIn(schema: z.ZodType, data: unknown): PathUse[] {
  const found: PathUse[] = [];
  const walk = (node: z.ZodType, value: unknown, at: (string | number)[]): void => {
    const tag = pathFields.get(node);
    if (tag) {
      if (typeof value === 'string') found.push({ path: value, access: tag.access, field: at.join('.') });
      return;
    }
    const def = (node as unknown as { _zod: { def: Def } })._zod.def;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'readonly':
        if (value !== undefined && value !== null) walk(def.innerType as z.ZodType, value, at);
        return;
      case 'pipe':
        walk(def.in as z.ZodType, value, at);
        return;
      case 'object': {
        if (typeof value !== 'object' || value === null) return;
        const shape = def.shape as Record<string, z.ZodType>;
        for (const [key, field] of Object.entries(shape)) {
          walk(field, (value as Record<string, unknown>)[key], [...at, key]);
        }
        return;
      }
      case 'array':
        if (Array.isArray(value)) value.forEach((item: unknown, index) => walk(def.element as z.ZodType, item, [...at, index]));
        return;
      case 'union': {
        // The parsed data matched one option; walk that one.
        const option = (def.options as z.ZodType[]).find((o) => o.safeParse(value).success);
        if (option) walk(option, value, at);
        return;
      }
      default:
        if (LEAVES.has(def.type)) return;
        throw new Error(`Cannot look for file paths in a ${def.type} schema (at ${at.join('.') || 'the request'}).`);
    }
  };
  walk(schema, data, []);
  return found;
}
