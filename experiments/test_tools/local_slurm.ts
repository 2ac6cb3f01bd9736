/**
 * A private single-node Slurm cluster in a temporary directory: munged,
 * slurmctld and slurmd started with their own key, sockets, state and logs,
 * found by `SLURM_CONF`; nothing under /etc is touched. The executor's test
 * submits to it; a user can try `--executor slurm` on one machine the same
 * way. Needs Debian's `slurmctld slurmd slurm-client munge` (installed by
 * {@link installSlurm} as root) and root to start slurmd.
 *
 * ```ts
 * const cluster = await startLocalSlurm();
 * await new Deno.Command("sbatch", { args: ["job.sh"], env: cluster.env }).output();
 * await cluster.stop();
 * ```
 * @module
 */
import { join } from "node:path";
import { aptInstall, exists, sh } from "../../lib/_util.ts";

/** Debian's packages for a private cluster (about 13 MB with --no-install-recommends). */
export const SLURM_PACKAGES = ["slurmctld", "slurmd", "slurm-client", "munge"];

/** Installs the packages where missing; returns why it cannot, or undefined when they are there. */
export async function installSlurm(): Promise<string | undefined> {
  const have = async () => (await sh("slurmctld", ["-V"])).code === 0 && exists("/usr/sbin/munged");
  if (await have()) return undefined;
  const failed = await aptInstall(SLURM_PACKAGES);
  if (failed) return failed;
  return (await have()) ? undefined : "Slurm installed but slurmctld does not start";
}

/** A running private cluster. */
export interface LocalSlurm {
  /** The environment for sbatch, scontrol, squeue and scancel (`SLURM_CONF`), merged with this process's. */
  env: Record<string, string>;
  /** Its temporary directory (config, state, logs). */
  dir: string;
  /** Stops every daemon and removes the directory. */
  stop(): Promise<void>;
}

/** The slurm.conf of a one-node cluster in `dir` (the settings that work without systemd, cgroups or accounting). */
export function slurmConf(dir: string, cpus: number, user: string): string {
  return [
    "ClusterName=deeper",
    "SlurmctldHost=localhost",
    `SlurmUser=${user}`,
    `SlurmdUser=root`,
    "AuthType=auth/munge",
    "CredType=cred/munge",
    `AuthInfo=socket=${dir}/munge/munge.sock`,
    `StateSaveLocation=${dir}/state`,
    `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPidFile=${dir}/slurmctld.pid`,
    `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmctldLogFile=${dir}/slurmctld.log`,
    `SlurmdLogFile=${dir}/slurmd.log`,
    "SlurmctldPort=6817",
    "SlurmdPort=6818",
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_Core",
    "AccountingStorageType=accounting_storage/none",
    "JobAcctGatherType=jobacct_gather/none",
    "MailProg=/bin/true",
    "EnforcePartLimits=ALL",
    "DependencyParameters=kill_invalid_depend",
    "ReturnToService=2",
    "SchedulerType=sched/backfill",
    "MinJobAge=600",
    `NodeName=localhost NodeAddr=127.0.0.1 CPUs=${cpus} State=UNKNOWN`,
    "PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
    "",
  ].join("\n");
}

async function waitFor(what: string, ok: () => Promise<boolean>, seconds: number, log?: string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = log && exists(log) ? (await Deno.readTextFile(log)).split("\n").slice(-8).join("\n") : "";
  throw new Error(`private Slurm: ${what} not ready after ${seconds} s\n${tail}`);
}

/** Starts munged, slurmctld and slurmd in a fresh temporary directory and waits for an idle node. */
export async function startLocalSlurm(opts: { cpus?: number } = {}): Promise<LocalSlurm> {
  const dir = await Deno.makeTempDir({ prefix: "deeper-slurm-" });
  // munged's socket directory must be reachable by every user: mktemp makes 0700.
  await Deno.chmod(dir, 0o711);
  for (const d of ["munge", "state", "spool"]) await Deno.mkdir(join(dir, d));
  await Deno.chmod(join(dir, "munge"), 0o711);
  const user = (await sh("id", ["-un"])).stdout.trim() || "root";
  const cpus = opts.cpus ?? navigator.hardwareConcurrency;
  const conf = join(dir, "slurm.conf");
  await Deno.writeTextFile(conf, slurmConf(dir, cpus, user));
  const env = { ...Deno.env.toObject(), SLURM_CONF: conf };
  const pids: Deno.ChildProcess[] = [];
  const stop = async () => {
    // Jobs outlive the daemons that started them: cancel them first (nothing runs for long after a test).
    if (pids.length >= 3) {
      await sh("scancel", ["--full", `--user=${user}`], { env });
      await new Promise((r) => setTimeout(r, 1000));
    }
    for (const p of pids.reverse()) {
      try {
        p.kill("SIGTERM");
      } catch { /* gone */ }
      await Promise.race([p.status, new Promise((r) => setTimeout(r, 3000))]);
      try {
        p.kill("SIGKILL");
      } catch { /* gone */ }
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    const key = join(dir, "munge", "munge.key");
    const mk = await sh("mungekey", ["-c", "-k", key]);
    if (mk.code !== 0) throw new Error(`mungekey: ${mk.out.trim()}`);
    const spawn = (cmd: string, args: string[]) => {
      const p = new Deno.Command(cmd, { args, env, stdin: "null", stdout: "null", stderr: "null" }).spawn();
      pids.push(p);
    };
    spawn("munged", [
      "-F",
      "-S",
      join(dir, "munge", "munge.sock"),
      "--key-file",
      key,
      "--pid-file",
      join(dir, "munge", "munged.pid"),
      "--log-file",
      join(dir, "munge", "munged.log"),
      "--seed-file",
      join(dir, "munge", "munged.seed"),
      "--force",
    ]);
    await waitFor("munged", () => Promise.resolve(exists(join(dir, "munge", "munge.sock"))), 10);
    spawn("slurmctld", ["-D", "-i", "-f", conf]);
    spawn("slurmd", ["-D", "-f", conf]);
    await waitFor(
      "the node",
      async () => {
        const r = await sh("sinfo", ["-h", "-o", "%T"], { env });
        return r.code === 0 && /idle/.test(r.stdout);
      },
      30,
      join(dir, "slurmctld.log"),
    );
    return { env, dir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
