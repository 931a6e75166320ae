/**
 * A small runtime schema language with static types. Every message from a webview and every
 * imported session file is untrusted; it is parsed with one of these before anything acts on it.
 * Parsing returns the first problem as a readable path ("intent.count: must be ≤ 1000000"), so a
 * rejected message can be logged with its reason.
 */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface Schema<T> {
  parse(value: unknown, path?: string): ParseResult<T>;
  /** Marks a schema as optional inside obj(): the key may be absent (or undefined). */
  readonly optional?: boolean;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = (path: string, message: string): ParseResult<never> => ({ ok: false, error: `${path || 'value'}: ${message}` });

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function str(opts: { min?: number; max?: number; pattern?: RegExp } = {}): Schema<string> {
  const max = opts.max ?? 10_000;
  return {
    parse(v, path = '') {
      if (typeof v !== 'string') return fail(path, `expected a string, got ${describe(v)}`);
      if (opts.min !== undefined && v.length < opts.min) return fail(path, `must have at least ${opts.min} characters`);
      if (v.length > max) return fail(path, `must have at most ${max} characters`);
      if (opts.pattern && !opts.pattern.test(v)) return fail(path, `must match ${opts.pattern}`);
      return ok(v);
    },
  };
}

export function num(opts: { min?: number; max?: number; int?: boolean } = {}): Schema<number> {
  return {
    parse(v, path = '') {
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(path, `expected a finite number, got ${describe(v)}`);
      if (opts.int && !Number.isInteger(v)) return fail(path, 'must be an integer');
      if (opts.min !== undefined && v < opts.min) return fail(path, `must be ≥ ${opts.min}`);
      if (opts.max !== undefined && v > opts.max) return fail(path, `must be ≤ ${opts.max}`);
      return ok(v);
    },
  };
}

export const int = (opts: { min?: number; max?: number } = {}): Schema<number> => num({ ...opts, int: true });

export function bool(): Schema<boolean> {
  return { parse: (v, path = '') => (typeof v === 'boolean' ? ok(v) : fail(path, `expected a boolean, got ${describe(v)}`)) };
}

export function lit<const T extends readonly (string | number | boolean)[]>(...values: T): Schema<T[number]> {
  return {
    parse(v, path = '') {
      return (values as readonly unknown[]).includes(v)
        ? ok(v as T[number])
        : fail(path, `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
    },
  };
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined> & { readonly optional: true } {
  return {
    optional: true as const,
    parse: (v: unknown, path?: string) => (v === undefined ? ok(undefined) : inner.parse(v, path)),
  };
}

export function arr<T>(item: Schema<T>, opts: { min?: number; max?: number } = {}): Schema<T[]> {
  const max = opts.max ?? 100_000;
  return {
    parse(v, path = '') {
      if (!Array.isArray(v)) return fail(path, `expected an array, got ${describe(v)}`);
      if (opts.min !== undefined && v.length < opts.min) return fail(path, `must have at least ${opts.min} items`);
      if (v.length > max) return fail(path, `must have at most ${max} items`);
      const out: T[] = [];
      for (let i = 0; i < v.length; i++) {
        const r = item.parse(v[i], `${path}[${i}]`);
        if (!r.ok) return r;
        out.push(r.value);
      }
      return ok(out);
    },
  };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
export type ObjOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> };

/** A plain object with exactly these keys; unknown keys are rejected, not ignored. */
export function obj<S extends Shape>(shape: S): Schema<{ [K in keyof ObjOf<S>]: ObjOf<S>[K] }> {
  const keys = Object.keys(shape);
  return {
    parse(v, path = '') {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, `expected an object, got ${describe(v)}`);
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return fail(path, 'expected a plain object');
      for (const k of Object.keys(v)) if (!(k in shape) || !Object.prototype.hasOwnProperty.call(shape, k)) return fail(path, `unexpected key ${JSON.stringify(k)}`);
      const out: Record<string, unknown> = {};
      for (const k of keys) {
        const r = shape[k]!.parse((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
        if (!r.ok) return r;
        if (r.value !== undefined) out[k] = r.value;
      }
      return ok(out as never);
    },
  };
}

/**
 * A discriminated union keyed by `tag` (e.g. "type"): each variant is an obj() schema for the
 * remaining fields. Picking the variant by tag first gives errors about the right variant.
 */
export function tagged<K extends string, V extends Record<string, Schema<object>>>(
  tag: K,
  variants: V,
): Schema<{ [T in keyof V & string]: { [P in K]: T } & Infer<V[T]> }[keyof V & string]> {
  return {
    parse(v, path = '') {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, `expected an object, got ${describe(v)}`);
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return fail(path, 'expected a plain object');
      const t = Object.prototype.hasOwnProperty.call(v, tag) ? (v as Record<string, unknown>)[tag] : undefined;
      if (typeof t !== 'string' || !Object.prototype.hasOwnProperty.call(variants, t))
        return fail(path ? `${path}.${tag}` : tag, `must be one of ${Object.keys(variants).map((x) => JSON.stringify(x)).join(', ')}`);
      const { [tag]: _omit, ...rest } = v as Record<string, unknown>;
      const r = variants[t]!.parse(rest, path);
      return r.ok ? ok({ [tag]: t, ...r.value } as never) : r;
    },
  };
}

/** Any JSON value, bounded in depth and size; for opaque payloads that are checked later. */
export function json(opts: { maxDepth?: number; maxNodes?: number } = {}): Schema<unknown> {
  const maxDepth = opts.maxDepth ?? 32;
  const maxNodes = opts.maxNodes ?? 1_000_000;
  return {
    parse(v, path = '') {
      let nodes = 0;
      const walk = (x: unknown, depth: number): string | undefined => {
        if (++nodes > maxNodes) return `has more than ${maxNodes} values`;
        if (depth > maxDepth) return `is nested deeper than ${maxDepth}`;
        if (x === null || typeof x === 'string' || typeof x === 'boolean') return undefined;
        if (typeof x === 'number') return Number.isFinite(x) ? undefined : 'has a non-finite number';
        if (Array.isArray(x)) {
          for (const e of x) { const m = walk(e, depth + 1); if (m) return m; }
          return undefined;
        }
        if (typeof x === 'object') {
          for (const e of Object.values(x as object)) { const m = walk(e, depth + 1); if (m) return m; }
          return undefined;
        }
        return `has a value of type ${typeof x}`;
      };
      const m = walk(v, 0);
      return m ? fail(path, m) : ok(v);
    },
  };
}
