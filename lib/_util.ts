// Private helpers shared by lib/ modules; not part of the suite's API.
import { fileURLToPath } from "node:url";

/** The repository root (the directory holding deno.json). */
export const ROOT: string = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/** Whether a path exists (file or directory). */
export function exists(p: string): boolean {
  try {
    Deno.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes a file atomically: a temp file beside it, then a rename, so a crash
 * or a full disk never leaves half a file where a whole one was.
 * `DEEPER_INJECT_WRITE_FAILURE=<substring>` makes writes to matching paths
 * fail like a full disk, half-way through, for tests of that promise.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}-${Math.random().toString(36).slice(2)}`;
  const inject = Deno.env.get("DEEPER_INJECT_WRITE_FAILURE");
  try {
    if (inject && path.includes(inject)) {
      await Deno.writeTextFile(tmp, String(data).slice(0, 16));
      throw new Error(
        `No space left on device (os error 28), writing ${path} (injected by DEEPER_INJECT_WRITE_FAILURE)`,
      );
    }
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/** Runs a command, returning its exit code and output; never throws on a missing program. */
export async function sh(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; inherit?: boolean } = {},
): Promise<{ code: number; out: string; stdout: string }> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      cwd: opts.cwd,
      env: opts.env,
      stdin: "null",
      stdout: opts.inherit ? "inherit" : "piped",
      stderr: opts.inherit ? "inherit" : "piped",
    }).output();
    const dec = new TextDecoder();
    const stdout = opts.inherit ? "" : dec.decode(out.stdout);
    return { code: out.code, out: opts.inherit ? "" : stdout + dec.decode(out.stderr), stdout };
  } catch (e) {
    return { code: 127, out: String(e), stdout: "" };
  }
}

/**
 * `apt-get update` and `apt-get install --no-install-recommends` as root;
 * returns why it could not (not root, no apt-get, the install failed, with
 * apt's last line), or undefined once the packages are installed.
 */
export async function aptInstall(packages: string[]): Promise<string | undefined> {
  const what = packages.join(" ");
  if (Deno.uid?.() !== 0) return `not root: as root, apt-get install ${what}`;
  if ((await sh("apt-get", ["--version"])).code !== 0) return `no apt-get to install ${what}`;
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  await sh("apt-get", ["update", "-qq"], { env });
  const r = await sh("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { env });
  return r.code === 0
    ? undefined
    : `apt-get install ${what} failed (exit ${r.code}): ${r.out.trim().split("\n").at(-1)}`;
}

/** The median of numbers (the mean of the middle two for an even count; NaN for none). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), mid = s.length / 2;
  return (s[Math.floor(mid)] + s[Math.ceil(mid) - 1]) / 2;
}

/** Mean, sample standard deviation (NaN for fewer than two values) and count of the finite values. */
export function meanSd(xs: number[]): { mean: number; sd: number; n: number } {
  const v = xs.filter(Number.isFinite);
  const n = v.length;
  const mean = n ? v.reduce((a, b) => a + b, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, sd, n };
}

/** The mean of the finite values and its standard error (NaN for fewer than two values). */
export function meanSe(xs: number[]): { value: number; se: number } {
  const s = meanSd(xs);
  return { value: s.mean, se: s.sd / Math.sqrt(s.n) };
}

/** The SHA-256 of bytes, in hex. */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Hours, minutes or seconds in a few characters. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "unknown";
  if (s >= 3600) return `${(s / 3600).toFixed(1)} h`;
  if (s >= 60) return `${Math.round(s / 60)} min`;
  return `${Math.round(s)} s`;
}
