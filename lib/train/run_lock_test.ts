import assert from "node:assert/strict";
import { join } from "node:path";
import { claimRun, type LockHolder, thisHolder } from "./run_lock.ts";

const holder = (o: Partial<LockHolder>): LockHolder => ({ ...thisHolder({}), ...o });

Deno.test("a run is claimed once: a live holder keeps it, a gone one is taken over, release frees it", async () => {
  const dir = await Deno.makeTempDir();
  const sleeper = new Deno.Command("sleep", { args: ["30"] }).spawn();
  try {
    const live = holder({ pid: sleeper.pid });
    const first = await claimRun(dir, live);
    assert.ok(!("busy" in first));
    // This process asks while the live holder has it: busy, naming the holder.
    const second = await claimRun(dir);
    assert.ok("busy" in second && second.busy.pid === sleeper.pid, JSON.stringify(second));
    // The holder's process ends: the next claim takes the run over.
    sleeper.kill("SIGKILL");
    await sleeper.status;
    const third = await claimRun(dir);
    assert.ok(!("busy" in third), "a gone holder's claim is taken over");
    const onDisk = JSON.parse(await Deno.readTextFile(join(dir, "lock.json"))) as LockHolder;
    assert.equal(onDisk.pid, Deno.pid);
    // Releasing someone else's claim does nothing; one's own removes it.
    await first.release();
    assert.ok((await Deno.stat(join(dir, "lock.json"))).isFile);
    await third.release();
    await assert.rejects(Deno.stat(join(dir, "lock.json")), Deno.errors.NotFound);
  } finally {
    try {
      sleeper.kill("SIGKILL");
    } catch { /* already gone */ }
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a requeued Slurm task takes its own claim over; another host's fresh claim is left alone", async () => {
  const dir = await Deno.makeTempDir();
  const slurm = { jobId: "101", arrayJobId: "100", arrayTaskId: "3" };
  // The task's first incarnation, on another node, still recent.
  const before = holder({ host: "node-a", pid: 4242, slurm });
  await Deno.writeTextFile(join(dir, "lock.json"), JSON.stringify(before));
  const other = await claimRun(
    dir,
    holder({ host: "node-b", pid: 77, slurm: { jobId: "102", arrayJobId: "100", arrayTaskId: "4" } }),
  );
  assert.ok("busy" in other, "another task on another host leaves a recent claim alone");
  const requeued = await claimRun(dir, holder({ host: "node-b", pid: 77, slurm: { ...slurm, jobId: "101" } }));
  assert.ok(!("busy" in requeued), "the same array task, requeued, takes its claim over");
  await Deno.remove(dir, { recursive: true });
});
