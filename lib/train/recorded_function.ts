/**
 * One recurring eager call (a training step, an evaluation batch) compiled
 * into one TensorFlow function.
 *
 * Why: an eager call is hundreds of TensorFlow ops, each dispatched from JS
 * through the binding; on a CPU that fixed cost is a large share of a small
 * net's step, and on a GPU it is nearly all of it. Recorded at the binding,
 * one eager call already holds every op as a value-producing op (TF.js's
 * gradients are its own kernels; its optimizers update variables with
 * ordinary ops and then `assign`, which only repoints a variable). Its
 * inputs (weights, optimizer state, the batch) go in as placeholders, new
 * values come out. The recording is rebuilt as a graph, registered in the
 * binding's own context (deeper's patch, lib/env/graph_function.cc) and
 * called by name as one op.
 *
 * Two consecutive eager calls are recorded; any difference between them (the
 * op sequence, an attribute, a constant uploaded inside the call such as a
 * dropout mask drawn in JS), a value read back to the host inside the call,
 * or a tensor from outside that is not one of the declared inputs refuses
 * compilation with the reason, and the call stays eager.
 *
 * ```ts
 * const c = new FunctionCompiler("deeper_eval");
 * const { out } = c.call(xs.shape, () => sources, () => [eagerStats(xs, ys)]);
 * c.status; // "compiled: 170 ops in one function" or "eager: <why>"
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";

/** An op attribute in the binding's own form (the same as `executeOp` takes). */
export interface Attr {
  name: string;
  type: number;
  value: unknown;
}

interface OutputInfo {
  id: number;
  shape: number[];
  dtype: number;
}

export interface Binding {
  executeOp(name: string, attrs: Attr[], ids: number[], n: number): OutputInfo[];
  createTensor(shape: number[], dtype: number, values: unknown): number;
  tensorDataSync(id: number): unknown;
  registerGraphFunction?(name: string, nodes: GraphNode[], inputs: number[], outputs: number[]): boolean;
  TF_ATTR_TYPE: number;
  TF_ATTR_SHAPE: number;
  TF_FLOAT: number;
  TF_INT32: number;
  TF_BOOL: number;
  TF_ATTR_STRING: number;
}

export interface NativeBackend {
  binding: Binding;
  tensorMap: { get(dataId: object): { id: number } };
  getInputTensorIds(ts: tf.Tensor[]): number[];
  executeMultipleOutputs(name: string, attrs: Attr[], inputs: tf.Tensor[], n: number): tf.Tensor[];
}

/** A node of the graph handed to `registerGraphFunction` (lib/env/graph_function.cc). */
export interface GraphNode {
  /** TensorFlow op type. */
  op: string;
  /** Its attributes, binding form. */
  attrs: Attr[];
  /** Flat pairs (node index, output index) of earlier nodes. */
  inputs: number[];
  /** How many of the first inputs form one list argument (0: none). */
  list: number;
}

/** Where a value in a recorded call comes from. */
export type Ref =
  | { node: number; out: number } // an output of a recorded op
  | { source: string } // a weight, optimizer state or the batch, as it was when the call began
  | { upload: number }; // a constant the call uploaded

export interface RecordedOp {
  op: string;
  attrs: Attr[];
  inputs: Ref[];
  outDtypes: number[];
}

export interface Upload {
  shape: number[];
  dtype: number;
  values: Uint8Array;
}

/** One eager call as the binding saw it. */
export interface Recording {
  ops: RecordedOp[];
  uploads: Upload[];
  /** Source key -> the value it holds after the call (only those that changed). */
  updates: Map<string, Ref>;
  /** The call's results, in the order the recorded function returned them. */
  results: Ref[];
  /** Why this call cannot be compiled (empty: it can). */
  problems: string[];
  /** Each source's dtype and shape as the call read it (its placeholder's). */
  inputs: Map<string, { dtype: tf.DataType; shape: number[] }>;
}

/** A tensor the call reads from outside, and how to put its new value back (none: read only). */
export interface Source {
  key: string;
  get(): tf.Tensor;
  set?(t: tf.Tensor): void;
  /**
   * A value made afresh for each call (a dropout layer's uniform numbers): `get` draws it, `hand` gives it
   * to the eager call that is recorded, and it is disposed after the call.
   */
  hand?(t: tf.Tensor | undefined): void;
}

/** Ops whose first argument is a list of `N` tensors; other ops with an `N` attribute are refused. */
const LIST_FIRST = new Set(["AddN", "ConcatV2", "Pack"]);

export function nativeBackend(): NativeBackend | undefined {
  return tf.getBackend() === "tensorflow" ? tf.backend() as unknown as NativeBackend : undefined;
}

/**
 * Whether compiled functions can run here: the native backend with deeper's
 * binding patch, and not switched off (`DEEPER_STEP=eager` keeps training
 * steps and evaluations eager).
 */
export function compiledStepsAvailable(): { ok: boolean; why: string } {
  if (Deno.env.get("DEEPER_STEP") === "eager") return { ok: false, why: "DEEPER_STEP=eager" };
  const b = nativeBackend();
  if (!b) return { ok: false, why: `backend ${tf.getBackend()} runs eager ops only` };
  if (typeof b.binding.registerGraphFunction !== "function") {
    return { ok: false, why: "the native binding lacks deeper's patch (run: ./deeper setup)" };
  }
  return { ok: true, why: "native backend with registerGraphFunction" };
}

function bytesOf(values: unknown): Uint8Array {
  if (ArrayBuffer.isView(values)) {
    return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  }
  // TF.js passes typed arrays for numbers; anything else (strings) is compared by its text.
  return new TextEncoder().encode(JSON.stringify(values));
}

/**
 * Runs `fn` (eager) while recording every op and upload at the binding. The
 * binding object's exports are not writable: the backend gets a stand-in
 * whose prototype is the real binding, for this call only.
 */
function record(b: NativeBackend, sources: Source[], fn: () => tf.Tensor[]): { result: tf.Tensor[]; rec: Recording } {
  const real = b.binding;
  const rec: Recording = { ops: [], uploads: [], updates: new Map(), results: [], problems: [], inputs: new Map() };
  const refOf = new Map<number, Ref>();
  const before = new Map<string, number>();
  const tensors = sources.map((s) => s.get());
  sources.forEach((s, i) => rec.inputs.set(s.key, { dtype: tensors[i].dtype, shape: tensors[i].shape }));
  sources.forEach((s, i) => s.hand?.(tensors[i]));
  const fresh = tensors.filter((_, i) => sources[i].hand);
  // Uploads are lazy: put every source up now, or its first use inside the call would look like a constant.
  b.getInputTensorIds(tensors).forEach((id, i) => {
    if (!refOf.has(id)) refOf.set(id, { source: sources[i].key });
    before.set(sources[i].key, id);
  });
  const stand = Object.create(real) as Binding;
  Object.defineProperty(stand, "executeOp", {
    value: (name: string, attrs: Attr[], ids: number[], n: number) => {
      const inputs = ids.map((id) => {
        const r = refOf.get(id);
        if (!r) {
          rec.problems.push(
            `${name} reads a tensor made outside the call that is not one of its inputs (weights, optimizer state, the batch)`,
          );
        }
        return r ?? { upload: -1 };
      });
      const out = real.executeOp(name, attrs, ids, n);
      const k = rec.ops.length;
      rec.ops.push({ op: name, attrs: structuredClone(attrs), inputs, outDtypes: out.map((o) => o.dtype) });
      out.forEach((o, j) => refOf.set(o.id, { node: k, out: j }));
      return out;
    },
  });
  Object.defineProperty(stand, "createTensor", {
    value: (shape: number[], dtype: number, values: unknown) => {
      const id = real.createTensor(shape, dtype, values);
      refOf.set(id, { upload: rec.uploads.length });
      rec.uploads.push({ shape: [...shape], dtype, values: bytesOf(values) });
      return id;
    },
  });
  Object.defineProperty(stand, "tensorDataSync", {
    value: (id: number) => {
      rec.problems.push("the call reads a value back to the host");
      return real.tensorDataSync(id);
    },
  });
  b.binding = stand;
  let result: tf.Tensor[];
  try {
    result = fn();
  } finally {
    b.binding = real;
    for (const s of sources) s.hand?.(undefined);
    tf.dispose(fresh);
  }
  const refOfTensor = (t: tf.Tensor, what: string): Ref => {
    const id = b.tensorMap.get(t.dataId).id;
    const r = refOf.get(id);
    if (!r) rec.problems.push(`${what} is not made by the call`);
    return r ?? { upload: -1 };
  };
  for (const s of sources) {
    if (s.hand) continue; // drawn for this call only
    const t = s.get();
    const id = b.tensorMap.get(t.dataId).id;
    if (id === before.get(s.key)) continue;
    if (!s.set) rec.problems.push(`${s.key} is replaced inside the call`);
    rec.updates.set(s.key, refOfTensor(t, s.key));
  }
  rec.results = result.map((t, i) => refOfTensor(t, `result ${i}`));
  return { result, rec };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The first difference between two recordings of consecutive calls, in words; undefined if they match. */
export function recordingDifference(a: Recording, b: Recording): string | undefined {
  if (a.ops.length !== b.ops.length) {
    return `the op count changes between calls (${a.ops.length}, then ${b.ops.length})`;
  }
  for (let i = 0; i < a.ops.length; i++) {
    const x = a.ops[i], y = b.ops[i];
    if (x.op !== y.op) return `op ${i} changes between calls (${x.op}, then ${y.op})`;
    if (JSON.stringify(x.attrs) !== JSON.stringify(y.attrs)) {
      return `op ${i} (${x.op}) changes its attributes between calls`;
    }
    if (JSON.stringify(x.inputs) !== JSON.stringify(y.inputs)) {
      return `op ${i} (${x.op}) reads other inputs between calls`;
    }
  }
  if (a.uploads.length !== b.uploads.length) return "the number of constants uploaded inside the call changes";
  for (let i = 0; i < a.uploads.length; i++) {
    const x = a.uploads[i], y = b.uploads[i];
    if (!sameBytes(x.values, y.values) || JSON.stringify(x.shape) !== JSON.stringify(y.shape)) {
      return `a constant of shape [${x.shape}] uploaded inside the call changes between calls (a value drawn in JS, ` +
        "such as a dropout mask, or a number the call computes on the host)";
    }
  }
  const keys = (m: Map<string, Ref>) => JSON.stringify([...m.entries()].sort());
  if (keys(a.updates) !== keys(b.updates)) return "the call updates other tensors between calls";
  if (JSON.stringify(a.results) !== JSON.stringify(b.results)) return "the call's results change between calls";
  return undefined;
}

/** The graph of a recording: placeholders for the inputs, the ops, an Identity per output. */
export function buildGraph(
  rec: Recording,
  sourceDtypes: Map<string, number>,
  sourceShapes: Map<string, number[]>,
  binding: Pick<Binding, "TF_ATTR_TYPE" | "TF_ATTR_SHAPE">,
): {
  nodes: GraphNode[];
  inputKeys: string[];
  inputs: number[];
  updateKeys: string[];
  outputs: number[];
  problems: string[];
} {
  const problems: string[] = [];
  const used: string[] = [];
  const seen = new Set<string>();
  const use = (r: Ref) => {
    if ("source" in r && !seen.has(r.source)) seen.add(r.source), used.push(r.source);
  };
  for (const op of rec.ops) op.inputs.forEach(use);
  const updateKeys = [...rec.updates.keys()].sort();
  for (const k of updateKeys) use(rec.updates.get(k)!);
  rec.results.forEach(use);
  const nodes: GraphNode[] = [];
  const placeholder = (dtype: number, shape: number[]) =>
    nodes.push({
      op: "Placeholder",
      attrs: [{ name: "dtype", type: binding.TF_ATTR_TYPE, value: dtype }, {
        name: "shape",
        type: binding.TF_ATTR_SHAPE,
        value: shape,
      }],
      inputs: [],
      list: 0,
    }) - 1;
  const sourceNode = new Map<string, number>();
  for (const k of used) sourceNode.set(k, placeholder(sourceDtypes.get(k)!, sourceShapes.get(k)!));
  const uploadNode = rec.uploads.map((u) => placeholder(u.dtype, u.shape));
  const first = nodes.length;
  const pair = (r: Ref): [number, number] =>
    "node" in r ? [first + r.node, r.out] : "source" in r ? [sourceNode.get(r.source)!, 0] : [uploadNode[r.upload], 0];
  const dtypeOf = (r: Ref): number =>
    "node" in r
      ? rec.ops[r.node].outDtypes[r.out]
      : "source" in r
      ? sourceDtypes.get(r.source)!
      : rec.uploads[r.upload].dtype;
  for (const op of rec.ops) {
    const n = op.attrs.find((a) => a.name === "N");
    let list = 0;
    if (LIST_FIRST.has(op.op)) list = Number(n?.value ?? 0);
    else if (n) problems.push(`${op.op} takes a list of inputs that this compiler does not know how to group`);
    nodes.push({ op: op.op, attrs: op.attrs, inputs: op.inputs.flatMap(pair), list });
  }
  const outputs: number[] = [];
  for (const r of [...updateKeys.map((k) => rec.updates.get(k)!), ...rec.results]) {
    const id = nodes.push({
      op: "Identity",
      attrs: [{ name: "T", type: binding.TF_ATTR_TYPE, value: dtypeOf(r) }],
      inputs: pair(r),
      list: 0,
    }) - 1;
    outputs.push(id, 0);
  }
  return {
    nodes,
    inputKeys: used,
    inputs: [...used.map((k) => sourceNode.get(k)!), ...uploadNode],
    updateKeys,
    outputs,
    problems,
  };
}

/**
 * Why grappler must stay off in this process, if it must: TensorFlow's graph
 * optimiser runs MLIR, whose LLVM symbols resolve to the system's libLLVM
 * once Mesa has loaded it (WebGPU initialised in the same process), and
 * crashes there (SIGBUS in llvm::APFloat::convert, seen in the test suite).
 */
export function grapplerHazard(maps = "/proc/self/maps"): string | undefined {
  let text = "";
  try {
    text = Deno.readTextFileSync(maps);
  } catch {
    return undefined; // not Linux: no such mix known
  }
  const lib = text.split("\n").map((l) => l.split(/\s+/).at(-1) ?? "").find((f) => /\/libLLVM[-.]/.test(f));
  return lib
    ? `${lib} is loaded in this process (WebGPU), and TensorFlow's graph optimiser would call into it`
    : undefined;
}

/** Options of {@link FunctionCompiler}. */
export interface CompileOptions {
  /**
   * Let TensorFlow's graph optimiser (grappler) rewrite the function: constant
   * folding, layout and the remapper's fusions, which change rounding (default
   * false: the function runs the recorded kernels as recorded, and gives the
   * eager step's numbers to the last bit; what training and the bench run).
   */
  grappler?: boolean;
  /** Eager calls before the two recorded ones (default 1: first-call probes stay out of the recording). */
  warmup?: number;
}

/** A call compiled from two recordings. */
export interface CompiledFunction {
  /** The registered function's name. */
  name: string;
  /** Ops in one call (recorded). */
  ops: number;
  /** The batch shape it was compiled for. */
  shape: number[];
  /** Runs one call on the current values of `sources`, assigns the updated ones back, returns the results. */
  run(sources: Source[]): tf.Tensor[];
  /** Frees the constants it holds (the function stays registered in the context). */
  dispose(): void;
}

let functionCount = 0;

/**
 * Compiles one recurring call: `call(shape, sources, eager)` runs `eager` for
 * the warm-up calls, records the next two of one shape, compiles them if
 * they match, and from then on runs the compiled function for every call of
 * that shape (any other shape, e.g. a short last batch, runs `eager`). `sources`
 * is asked for only when a call is recorded or compiled. The same work must
 * go into every `eager` passed: the caller keeps one compiler per kind of call.
 *
 * ```ts
 * const c = new FunctionCompiler("deeper_eval");
 * const { out, compiled } = c.call(xs.shape, () => inputs(xs), () => [forward(xs)]);
 * ```
 */
export class FunctionCompiler {
  private seen = 0;
  private first?: Recording;
  private firstShape: number[] = [];
  private fn?: CompiledFunction;
  private refused?: string;
  private note?: string;
  /** Whether the compiled function runs with grappler (false until compiled). */
  grappler = false;

  /**
   * @param prefix The registered functions' name prefix (a number follows).
   * @param refused Why the caller's calls cannot be compiled, if it knows (they stay eager).
   */
  constructor(private readonly prefix: string, private readonly opts: CompileOptions = {}, refused?: string) {
    const avail = compiledStepsAvailable();
    this.refused = avail.ok ? refused : avail.why;
  }

  /** `compiled: ...` once compiled, `eager: <why>` once refused, `recording` before either. */
  get status(): string {
    return this.fn
      ? `compiled: ${this.fn.ops} ops in one function${this.note ? ` (${this.note})` : ""}`
      : this.refused
      ? `eager: ${this.refused}`
      : "recording";
  }

  /** The compiled function, once there is one. */
  get compiled(): CompiledFunction | undefined {
    return this.fn;
  }

  /** One call; see the class docs. `compiled`: whether the compiled function ran (else `eager`'s results). */
  call(shape: number[], sources: () => Source[], eager: () => tf.Tensor[]): { out: tf.Tensor[]; compiled: boolean } {
    if (this.fn) {
      return sameShape(this.fn.shape, shape)
        ? { out: this.fn.run(sources()), compiled: true }
        : { out: eager(), compiled: false };
    }
    const b = nativeBackend();
    if (this.refused || !b || this.seen++ < (this.opts.warmup ?? 1)) return { out: eager(), compiled: false };
    const { result, rec } = record(b, sources(), eager);
    if (rec.problems.length) {
      this.refused = rec.problems[0];
    } else if (!this.first || !sameShape(this.firstShape, shape)) {
      // The first recording, or a call of another shape than it (a short last batch): start over from this one.
      this.first = rec;
      this.firstShape = [...shape];
    } else {
      const problem = recordingDifference(this.first, rec);
      this.first = undefined;
      if (problem) this.refused = problem;
      else this.compile(b, rec, shape);
    }
    return { out: result, compiled: false };
  }

  /** Frees what a compiled function holds. */
  dispose(): void {
    this.fn?.dispose();
  }

  private compile(b: NativeBackend, rec: Recording, shape: number[]) {
    // From the recording, not the sources: a dropout source's `get` draws a new tensor.
    const dtypes = new Map([...rec.inputs].map(([k, v]) => [k, b.binding[dtypeKey(v.dtype)]]));
    const shapes = new Map([...rec.inputs].map(([k, v]) => [k, v.shape]));
    const g = buildGraph(rec, dtypes, shapes, b.binding);
    const odd = rec.uploads.find((u) => ![b.binding.TF_FLOAT, b.binding.TF_INT32, b.binding.TF_BOOL].includes(u.dtype));
    if (g.problems.length || odd) {
      this.refused = g.problems[0] ?? `the call uploads a constant of TensorFlow type ${odd!.dtype}`;
      return;
    }
    const name = `${this.prefix}_${++functionCount}`;
    try {
      b.binding.registerGraphFunction!(name, g.nodes, g.inputs, g.outputs);
    } catch (e) {
      this.refused = (e as Error).message;
      return;
    }
    // The constants the call uploads, kept for every call (they matched between the two recorded calls).
    const constants = rec.uploads.map((u) => {
      const buf = u.values.buffer as ArrayBuffer;
      return u.dtype === b.binding.TF_INT32
        ? tf.keep(tf.tensor(new Int32Array(buf), u.shape, "int32"))
        : u.dtype === b.binding.TF_BOOL
        ? tf.keep(tf.tensor(new Uint8Array(buf), u.shape, "bool"))
        : tf.keep(tf.tensor(new Float32Array(buf), u.shape, "float32"));
    });
    const hazard = this.opts.grappler ? grapplerHazard() : undefined;
    this.grappler = !!this.opts.grappler && !hazard;
    if (hazard) this.note = `grappler off: ${hazard}`;
    const attrs: Attr[] = this.grappler
      // ConfigProto{allow_soft_placement: true}: a call that carries a config_proto is optimised by grappler.
      ? [{ name: "config_proto", type: b.binding.TF_ATTR_STRING, value: "\x38\x01" }]
      : [];
    const nOut = g.outputs.length / 2;
    this.fn = {
      name,
      ops: rec.ops.length,
      shape: [...shape],
      run(sources) {
        const now = new Map(sources.map((s) => [s.key, s]));
        const fresh: tf.Tensor[] = [];
        const inputs = [
          ...g.inputKeys.map((k) => {
            const s = now.get(k);
            if (!s) {
              throw new Error(`compiled function ${name}: its input ${k} is gone (the model or optimizer changed)`);
            }
            const t = s.get();
            if (s.hand) fresh.push(t);
            return t;
          }),
          ...constants,
        ];
        let out: tf.Tensor[];
        try {
          out = b.executeMultipleOutputs(name, attrs, inputs, nOut);
        } finally {
          tf.dispose(fresh);
        }
        g.updateKeys.forEach((k, i) => {
          now.get(k)!.set!(out[i]);
          out[i].dispose();
        });
        return out.slice(g.updateKeys.length);
      },
      dispose() {
        tf.dispose(constants);
      },
    };
  }
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function dtypeKey(dtype: tf.DataType): "TF_FLOAT" | "TF_INT32" | "TF_BOOL" {
  return dtype === "int32" ? "TF_INT32" : dtype === "bool" ? "TF_BOOL" : "TF_FLOAT";
}
