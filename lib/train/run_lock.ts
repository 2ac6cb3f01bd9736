/**
 * One run, one trainer: before a process trains a run it claims the run's
 * directory with `lock.json`, naming itself (host, pid, Slurm job). Another
 * process that finds the claim held by a live holder leaves the run alone
 * (lib/train/runner.ts `runAll` waits for it and then reuses it); a claim
 * whose holder is gone (its process ended on this host, its Slurm task is
 * this one requeued, or it has not been refreshed for {@link STALE_SECONDS}
 * on another host) is taken over. The claim is made with an exclusive
 * create, and a take-over by writing a temp file, renaming it over the old
 * claim and reading it back: of two processes that take over at once, one
 * reads its own claim and trains, the other reads the winner's and waits.
 *
 * ```ts
 * const lock = await claimRun(dir);
 * if ("busy" in lock) console.error(`trained by ${describeHolder(lock.busy)}`);
 * else try { ... } finally { await lock.release(); }
 * ```
 * @module
 */
import { join } from "node:path";
import { exists, writeFileAtomic } from "../_util.ts";

/** A claim left this long unrefreshed by a process on another host is taken to be abandoned. */
export const STALE_SECONDS = 1800;

/** Who holds a run. */
export interface LockHolder {
  host: string;
  pid: number;
  /** The Slurm job (array job and task) of the holder, when it ran under Slurm. */
  slurm?: { jobId: string; arrayJobId?: string; arrayTaskId?: string };
  since: string;
}

/** This process, as a holder. */
export function thisHolder(env = Deno.env.toObject()): LockHolder {
  const slurm = env.SLURM_JOB_ID
    ? { jobId: env.SLURM_JOB_ID, arrayJobId: env.SLURM_ARRAY_JOB_ID, arrayTaskId: env.SLURM_ARRAY_TASK_ID }
    : undefined;
  return { host: Deno.hostname(), pid: Deno.pid, ...(slurm ? { slurm } : {}), since: new Date().toISOString() };
}

/** A holder in words: `host h, pid 123 (Slurm job 45_2)`. */
export function describeHolder(h: LockHolder): string {
  const job = h.slurm
    ? ` (Slurm job ${h.slurm.arrayJobId ? `${h.slurm.arrayJobId}_${h.slurm.arrayTaskId}` : h.slurm.jobId})`
    : "";
  return `host ${h.host}, pid ${h.pid}${job}`;
}

/** Same Slurm task: a requeued task comes back as the same array job and task (or job id). */
function sameSlurmTask(a: LockHolder, b: LockHolder): boolean {
  if (!a.slurm || !b.slurm) return false;
  if (a.slurm.arrayJobId && b.slurm.arrayJobId) {
    return a.slurm.arrayJobId === b.slurm.arrayJobId && a.slurm.arrayTaskId === b.slurm.arrayTaskId;
  }
  return a.slurm.jobId === b.slurm.jobId;
}

/** Whether a holder other than `me` may still be training. */
async function holderLives(h: LockHolder, me: LockHolder, file: string): Promise<boolean> {
  if (h.host === me.host && h.pid === me.pid) return false; // an earlier claim of this very process, left behind
  if (sameSlurmTask(h, me)) return false; // this task, requeued: its earlier incarnation is gone
  if (h.host === me.host) return exists(`/proc/${h.pid}`);
  const age = (Date.now() - ((await Deno.stat(file)).mtime?.getTime() ?? 0)) / 1000;
  return age < STALE_SECONDS;
}

/** A claim held by this process: refresh it now and then (another host judges it by its age); release it at the end. */
export interface RunLock {
  refresh(): Promise<void>;
  release(): Promise<void>;
}

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(file)) as LockHolder;
  } catch {
    return undefined; // half-written by a crash, or gone: no live holder
  }
}

/** Claims the run in `dir` for this process, or says who holds it. */
export async function claimRun(dir: string, me: LockHolder = thisHolder()): Promise<RunLock | { busy: LockHolder }> {
  await Deno.mkdir(dir, { recursive: true });
  const file = join(dir, "lock.json");
  const text = JSON.stringify(me, null, 1) + "\n";
  const mine: RunLock = {
    refresh: async () => {
      const now = new Date();
      await Deno.utime(file, now, now).catch(() => {});
    },
    release: async () => {
      const h = await readHolder(file);
      if (h && h.host === me.host && h.pid === me.pid) await Deno.remove(file).catch(() => {});
    },
  };
  try {
    await Deno.writeTextFile(file, text, { createNew: true });
    return mine;
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
  }
  const held = await readHolder(file);
  if (held && await holderLives(held, me, file)) return { busy: held };
  // Take over: the rename replaces the old claim in one step; reading it back tells who won a race.
  await writeFileAtomic(file, text);
  const now = await readHolder(file);
  return now && now.host === me.host && now.pid === me.pid ? mine : { busy: now ?? held! };
}
