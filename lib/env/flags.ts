/**
 * Command-line flags checked against a typed defaults object, nanoGPT
 * style: every flag must name a field, its value must parse as the field's
 * type, and anything else is a one-line RangeError listing the valid flags.
 *
 * ```ts
 * const cfg = parseFlags(["--reps", "3", "--no-pytorch", "extra"], { reps: 5, pytorch: true }, "deno task bench");
 * // { reps: 3, pytorch: false, _: ["extra"] }
 * ```
 * @module
 */

type Flat = Record<string, string | number | boolean>;

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Parses `--key value`, `--key=value`, `--flag` and `--no-flag` (booleans);
 * keys may be camelCase or kebab-case. Other words are returned in `_`.
 */
export function parseFlags<T extends Flat>(args: string[], defaults: T, usage: string): T & { _: string[] } {
  const out: Flat = { ...defaults };
  const byName = new Map<string, string>();
  for (const k of Object.keys(defaults)) {
    byName.set(k, k);
    byName.set(kebab(k), k);
  }
  const valid = () => Object.keys(defaults).map((k) => `--${kebab(k)}`).join(", ");
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("--")) {
      rest.push(a);
      continue;
    }
    let [name, value] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    let key = byName.get(name);
    if (!key && name.startsWith("no-") && typeof defaults[byName.get(name.slice(3)) ?? ""] === "boolean") {
      key = byName.get(name.slice(3))!;
      value = "false";
    }
    if (!key) throw new RangeError(`${usage}: unknown flag --${name}; valid flags: ${valid()}`);
    const type = typeof defaults[key];
    if (value === undefined) {
      if (type === "boolean") value = "true";
      else if (i + 1 < args.length) value = args[++i];
      else throw new RangeError(`${usage}: --${name} needs a value`);
    }
    if (type === "number") {
      const n = Number(value);
      if (value.trim() === "" || !Number.isFinite(n)) {
        throw new RangeError(`${usage}: --${name} takes a number, got "${value}"`);
      }
      out[key] = n;
    } else if (type === "boolean") {
      if (value !== "true" && value !== "false") {
        throw new RangeError(`${usage}: --${name} takes true or false, got "${value}"`);
      }
      out[key] = value === "true";
    } else out[key] = value;
  }
  return { ...(out as T), _: rest };
}
