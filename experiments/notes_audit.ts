/**
 * The study notes' numbers, one by one: every parameter count,
 * multiplication count, output shape, sum of terms and saving that notes
 * 000 to 004 state about an architecture, quoted as written (note and
 * line) and compared with the computation from built layers (or the zoo's
 * `costs.json`, from the evidence). Where a note is wrong the verdict is
 * `contradicted` and the entry gives the right value; the claim is never
 * rewritten into its corrected form. A tolerance applies only where the
 * note says "about" (약, 수준): within one unit of its last digit;
 * otherwise the computed number must equal the stated one after the
 * note's own rounding.
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type Claim, exactClaim, type ExactSpec, type Judgement } from "../lib/ledger/claims.ts";
import type { Evidence } from "../lib/ledger/evidence.ts";
import type { LayerCost, ModelCost } from "../lib/models/accounting.ts";
import { accountModel, countWeights } from "../lib/models/accounting.ts";
import { buildCifarNet } from "../lib/models/cifar_net.ts";
import { LENET_C3_TABLE } from "../lib/models/layers.ts";
import { gridReduction } from "../lib/models/grid_net.ts";
import { ZOO } from "../lib/models/zoo.ts";

const EXP = "model-zoo";

/** A note's line as written, and where. */
interface Quote {
  note: "000" | "001" | "002" | "003" | "004";
  line: number;
  /** The line's words, as written (Korean, with its own typos). */
  text: string;
}

const cite = (q: Quote) => `note ${q.note}, line ${q.line}: "${q.text}"`;

/** The zoo's per-layer table of one model (from `costs.json` in the evidence). */
function table(ev: Evidence, model: string): ModelCost {
  const costs = ev.files["costs.json"] as { tables: Record<string, ModelCost> } | undefined;
  const t = costs?.tables[model];
  if (!t) throw new RangeError(`model-zoo: no ${model} in costs.json; run the experiment first`);
  return t;
}

function layer(ev: Evidence, model: string, name: string): LayerCost {
  const l = table(ev, model).layers.find((x) => x.name === name);
  if (!l) throw new RangeError(`model-zoo: ${model} has no layer ${name}`);
  return l;
}

/** Kernel weights of a built conv layer: its parameters less one bias per filter. */
function kernelWeights(l: LayerCost): number {
  return l.params - l.output[l.output.length - 1];
}

/** A number a note states, judged by {@link exactClaim}. */
function noteNumber(
  id: string,
  q: Quote,
  claim: string,
  metric: string,
  stated: number,
  compute: (ev: Evidence) => number,
  match: ExactSpec["match"] = { exact: { step: 1 } },
): Claim {
  return exactClaim({ id, claim, source: cite(q), experiment: EXP, metric, stated, compute, match });
}

/** A shape a note states (e.g. `224x224x64`), compared as written with the computed one. */
function noteShape(id: string, q: Quote, claim: string, stated: string, compute: (ev: Evidence) => number[]): Claim {
  return {
    id,
    claim,
    source: cite(q),
    experiment: EXP,
    metric: "output shape of the built layer (height x width x channels)",
    expected: `= ${stated}`,
    judge: (ev): Judgement => {
      const got = compute(ev).join("x");
      return {
        verdict: got === stated ? "supported" : "contradicted",
        effect: got === stated ? `computed ${got}` : `computed ${got}; the right value is ${got}`,
        runs: [],
        files: ["costs.json"],
      };
    },
  };
}

/** Output side of a convolution or pooling built in TF.js with explicit symmetric zero padding. */
function builtSide(input: number, kernel: number, stride: number, pad: number): number {
  const x = tf.input({ shape: [input, input, 1] });
  const padded = pad ? tf.layers.zeroPadding2d({ padding: pad }).apply(x) as tf.SymbolicTensor : x;
  const y = tf.layers.conv2d({ filters: 1, kernelSize: kernel, strides: stride, padding: "valid" }).apply(
    padded,
  ) as tf.SymbolicTensor;
  return y.shape[1]!;
}

/** Weights of C to C channels through a stack of convolutions of the given kernel shapes (no biases). */
function stackWeights(kernels: Array<[number, number]>, channels = 1): number {
  const x = tf.input({ shape: [9, 9, channels] });
  let y = x as tf.SymbolicTensor;
  for (const [r, c] of kernels) {
    y = tf.layers.conv2d({ filters: channels, kernelSize: [r, c], padding: "same", useBias: false }).apply(
      y,
    ) as tf.SymbolicTensor;
  }
  const m = tf.model({ inputs: x, outputs: y });
  const n = countWeights(m.weights);
  m.dispose();
  return n;
}

/** Receptive field of a stack of stride-1 k x k convolutions, from the built stack's response to one pixel. */
function receptiveField(kernels: number[]): number {
  const side = 15;
  const x = tf.input({ shape: [side, side, 1] });
  let y = x as tf.SymbolicTensor;
  for (const k of kernels) {
    y = tf.layers.conv2d({
      filters: 1,
      kernelSize: k,
      padding: "same",
      useBias: false,
      kernelInitializer: "ones",
    }).apply(y) as tf.SymbolicTensor;
  }
  const m = tf.model({ inputs: x, outputs: y });
  const impulse = tf.buffer([1, side, side, 1]);
  impulse.set(1, 0, 7, 7, 0);
  const out = tf.tidy(() => (m.predict(impulse.toTensor()) as tf.Tensor).greater(0).sum(1).max().dataSync()[0]);
  m.dispose();
  return out;
}

/** Paths from input to output through a built net's layer graph (each residual block: two ways through). */
function pathCount(model: tf.LayersModel): number {
  const ways = new Map<string, number>();
  for (const l of model.layers) {
    const inbound = l.inboundNodes.flatMap((n) => n.inboundLayers.map((p) => p.name));
    ways.set(l.name, inbound.length ? inbound.reduce((s, p) => s + (ways.get(p) ?? 0), 0) : 1);
  }
  return ways.get(model.getLayer("main").name)!;
}

/**
 * Depth counted the way GoogLeNet's paper counts it: layers with
 * parameters along the longest input-to-output path of the built net
 * (pooling and concatenation do not count; batch norm does not either).
 */
function weightedDepth(model: tf.LayersModel): number {
  const depth = new Map<string, number>();
  for (const l of model.layers) {
    const inbound = l.inboundNodes.flatMap((n) => n.inboundLayers.map((p) => depth.get(p.name) ?? 0));
    const own = l.countParams() > 0 && !/BatchNorm/i.test(l.getClassName()) ? 1 : 0;
    depth.set(l.name, own + (inbound.length ? Math.max(...inbound) : 0));
  }
  return Math.max(...model.outputs.map((o) => depth.get(o.sourceLayer.name) ?? 0));
}

/** Builds a zoo model, measures something on it, and frees it. */
function onBuilt(name: string, f: (m: tf.LayersModel) => number): number {
  const m = ZOO[name].build();
  try {
    return f(m);
  } finally {
    m.dispose();
  }
}

/** Parameters of LeNet-5's C3 maps that read `k` input maps (kernel 5x5xk and a bias each), from the table. */
function c3Group(ev: Evidence, pick: (row: number[], j: number) => boolean): number {
  const c3 = layer(ev, "lenet5", "C3");
  const rows = LENET_C3_TABLE.filter(pick);
  // The built layer has one 5x5x|row| kernel and one bias per output map; its total is the sum over all 16.
  const perMap = (row: number[]) => 25 * row.length + 1;
  if (LENET_C3_TABLE.reduce((s, r) => s + perMap(r), 0) !== c3.params) throw new Error("C3's table and layer disagree");
  return rows.reduce((s, r) => s + perMap(r), 0);
}

const vggLayers: Array<[number, string, string, number, number, number]> = [
  // line, VGG-16 layer, as written, stated filters, stated kernel input channels, stated kernel side
  [20, "block1_conv1", "1층 conv1_1 : 64개 3x3x3 필터커널로 입력 이미지를 컨볼루션", 64, 3, 3],
  [23, "block1_conv2", "2층 conv1_2 : 64개 3x3x64 필터커널로 특성맵을 컨볼루션", 64, 64, 3],
  [27, "block2_conv1", "3층 conv2_1 : 128개 3x3x64 필터커널로 특성맵을 컨볼루션", 128, 64, 3],
  [29, "block2_conv2", "4층 conv2_2 : 128개 3x3x128 필터커널로 특성맵을 컨볼루션", 128, 128, 3],
  [33, "block3_conv1", "5층 conv3_1 : 256개 3x3x128 필터커널로 특성맵을 컨볼루션", 256, 128, 3],
  [35, "block3_conv2", "6층 conv3_2 : 256개의 3x3x256 필터커널로 특성맵 컨볼루션", 256, 256, 3],
  [37, "block3_conv3", "7층 conv3_3 : 256개의 3x3x256 필터커널로 특성맵을 컨볼루션", 256, 256, 3],
  [41, "block4_conv1", "8층 conv4_1 : 512개의 3x3x256 필터커널 특성맵을 컨볼루션", 512, 256, 3],
  [43, "block4_conv2", "9층 conv4_2 : 512개의 3x3x512 필터커널 특성맵을 컨볼루션", 512, 512, 3],
  [45, "block4_conv3", "10층 conv4_3 : 512개의 3x3x256 필터커널 특성맵을 컨볼루션", 512, 256, 3],
  [49, "block5_conv1", "11층 conv5_1 : 512개의 3x3x256 필터커널 특성맵을 컨볼루션", 512, 256, 3],
  [51, "block5_conv2", "12층 conv5_2 : 512개의 3x3x512 필터커널 특성맵을 컨볼루션", 512, 512, 3],
  [54, "block5_conv3", "13층 conv5_3 : 512개의 3x3x512 필터커널 특성맵을 컨볼루션", 512, 512, 3],
];

const vggShapes: Array<[number, string, string, string]> = [
  // line, VGG-16 layer, as written, stated shape
  [21, "block1_conv1", "1층 conv1_1 결과 : 64장의 224x224 특성맵 (224x224x64)", "224x224x64"],
  [25, "block1_pool", "2층 conv1_2 풀링 : 2x2 최대풀링을 stride=2 적용하면 112x112x64 특성맵", "112x112x64"],
  [28, "block2_conv1", "3층 conv2_1 결과 : 128장의 112x112 특성맵 (112x112x128)", "112x112x128"],
  [31, "block2_pool", "4층 conv2_2 풀링 : 2x2 최대풀링을 stride=2 적용하면 56x56x128 특성맵", "56x56x128"],
  [34, "block3_conv1", "5층 conv3_1 결과 : 256장의 56x56 특성맵 (56x56x256)", "56x56x256"],
  [39, "block3_pool", "7층 conv3_3 풀링 : 2x2 최대풀링을 stride=2 적용하면 28x28x256 특성맵", "28x28x256"],
  [42, "block4_conv1", "8층 conv4_1 결과 : 512개의 28x28x256 특성맵 (28x28x512)", "28x28x512"],
  [46, "block4_pool", "10층 conv4_3 풀링 : 2x2 최대풀링을 stride=2 적용하면 14x14x512 특성맵", "14x14x512"],
  [55, "block5_pool", "13층 conv5_3 풀링 : 2x2 최대풀링 stride=2 적용하면 7x7x512", "7x7x512"],
];

const alexShapes: Array<[number, string, string, string]> = [
  // line, AlexNet layer (two towers, 227 input), as written, stated shape
  [117, "pool1", "layer 1 풀링 결과 : 96장의 27x27 특성맵 (27x27x96)", "27x27x96"],
  [121, "conv2", "layer 2 결과 : 256개의 27x27 특성맵 (27x27x256)", "27x27x256"],
  [124, "pool2", "layer 2 풀링 결과 : 256장의 13x13 특성맵 (13x13x256)", "13x13x256"],
  [128, "conv3", "layer 3 결과 : 384장의 13x13 특성맵 (13x13x384)", "13x13x384"],
  [132, "conv4", "layer 4 결과 : 384개의 13x13 특성맵 (13x13x384)", "13x13x384"],
  [139, "pool5", "layer 5 풀링 결과 : 256장의 6x6 특성맵 (6x6x256)", "6x6x256"],
];

const alexKernels: Array<[number, string, string, number, number, number]> = [
  // line, layer, as written, filters, kernel input channels (per tower), kernel side
  [113, "conv1", "layer 1 : 입력에 96개의 11x11x3 필터커널 사용해 컨볼루션, stride=4, zero-padding 없음", 96, 3, 11],
  [
    120,
    "conv2",
    "layer 2 : 전단계 특성맵에 256개의 5x5x48 필터커널 사용해 컨볼루션, stride=1, zero-padding =2",
    256,
    48,
    5,
  ],
  [
    127,
    "conv3",
    "layer 3 : 전단계 특성맵에 384개의 3x3x256 필터커널 사용해 컨볼루션, stride=1, zero-padding =1",
    384,
    256,
    3,
  ],
  [
    131,
    "conv4",
    "layer 4 : 전단계 특성맵에 384개의 3x3x192 필터커널 사용해 컨볼루션, stride=1, zero-padding =1",
    384,
    192,
    3,
  ],
  [
    135,
    "conv5",
    "layer 5 : 전단계 특성맵에 256개의 3x3x192 필터커널 사용해 컨볼루션, stride=1, zero-padding =1",
    256,
    192,
    3,
  ],
];

/** The kernel's input channels of a built conv layer with `filters` outputs and a k x k kernel (one bias each). */
const kernelDepth = (l: LayerCost, k: number) => kernelWeights(l) / (k * k * l.output[l.output.length - 1]);

/** Every cost and size number of notes 000-004, as ledger entries. */
export const notesClaims: Claim[] = [
  // ---- note 000
  noteNumber(
    "n000-7-googlenet",
    { note: "000", line: 7, text: "- 14년의 대표주자 GoogleNet, VGGnet은 22layer, 19layer로 깊어지게 된다." },
    "GoogLeNet is 22 layers deep",
    "layers with parameters along the longest path of the built GoogLeNet (the paper's way of counting)",
    22,
    () => onBuilt("googlenet", weightedDepth),
  ),
  {
    id: "n000-7-vgg19",
    claim: "VGGNet (its 19-layer configuration) is 19 layers deep",
    source: cite({
      note: "000",
      line: 7,
      text: "- 14년의 대표주자 GoogleNet, VGGnet은 22layer, 19layer로 깊어지게 된다.",
    }),
    experiment: EXP,
    metric: "weight layers of a built VGG-19",
    expected: "= 19",
    judge: (): Judgement => ({
      verdict: "not-run",
      effect: "the zoo builds VGG-16 only (its 16 weight layers are checked by n004-108); no VGG-19 to count",
      runs: [],
    }),
  },
  noteNumber(
    "n000-23",
    { note: "000", line: 23, text: "망의 깊이는 훨씬 깊은데 AlexNet보다 free parameter 수는 1/12 수준이고" },
    "GoogLeNet has about 1/12 of AlexNet's parameters",
    "AlexNet (two towers) / GoogLeNet (without auxiliary heads), trainable parameters; '수준' read as 'about'",
    12,
    (ev) => table(ev, "alexnet_2tower").totals.trainable / table(ev, "googlenet").totals.trainable,
    { about: { step: 1 } },
  ),
  noteNumber(
    "n000-24",
    { note: "000", line: 24, text: "GoogleNet에는 총 9개의 Inceptio 모듈이 적용되어 있다." },
    "GoogLeNet has 9 Inception modules",
    "Inception modules (concatenations) in the built GoogLeNet",
    9,
    (ev) => table(ev, "googlenet").layers.filter((l) => /^inception.*_concat$/.test(l.name)).length,
  ),
  noteNumber(
    "n000-51-alexnet",
    { note: "000", line: 51, text: "CNN 최종단의 Fully-connected NN는 free parameter중 90% 수준이므로" },
    "The fully connected layers at a CNN's end hold about 90% of its parameters (AlexNet)",
    "share of AlexNet's (two towers) trainable parameters in fc6-fc8, %; '수준' read as 'about' (within 10 points)",
    90,
    (ev) => {
      const t = table(ev, "alexnet_2tower");
      const fc = t.layers.filter((l) => /^fc/.test(l.name)).reduce((s, l) => s + l.trainable, 0);
      return 100 * fc / t.totals.trainable;
    },
    { about: { step: 10 } },
  ),
  noteNumber(
    "n000-51-vgg16",
    { note: "000", line: 51, text: "CNN 최종단의 Fully-connected NN는 free parameter중 90% 수준이므로" },
    "The fully connected layers at a CNN's end hold about 90% of its parameters (VGG-16)",
    "share of VGG-16's trainable parameters in fc1, fc2 and the classifier, %; '수준' read as 'about'",
    90,
    (ev) => {
      const t = table(ev, "vgg16");
      const fc = t.layers.filter((l) => /^(fc|predictions)/.test(l.name)).reduce((s, l) => s + l.trainable, 0);
      return 100 * fc / t.totals.trainable;
    },
    { about: { step: 10 } },
  ),
  noteNumber(
    "n000-122",
    {
      note: "000",
      line: 122,
      text: "5x5 conv는 더 넓은 영역에 걸쳐있는 특징을 1번에 추출할 수 있으나 25/9 = 2.78배 비싼 unit이다.",
    },
    "A 5x5 conv is 25/9 = 2.78 times as expensive as a 3x3 one",
    "weights of a 5x5 conv / a 3x3 conv, same channels, from built layers (two decimals, as written)",
    2.78,
    () => stackWeights([[5, 5]]) / stackWeights([[3, 3]]),
    { exact: { step: 0.01 } },
  ),
  noteNumber(
    "n000-126",
    { note: "000", line: 126, text: "5x5 -> (9 + 9)로 free paramter수를 28% 만큼 절감이 가능하다." },
    "A 5x5 conv as two 3x3 convs saves 28% of the weights",
    "saving in %, C to C channels, from built layers",
    28,
    () => 100 * (1 - stackWeights([[3, 3], [3, 3]]) / stackWeights([[5, 5]])),
  ),
  noteNumber(
    "n000-127",
    { note: "000", line: 127, text: "7x7 -> 3 layer 3x3 conv -> (9+9+9) => 45% 절감;;" },
    "A 7x7 conv as three 3x3 convs saves 45% of the weights",
    "saving in %, C to C channels, from built layers (44.9% rounds to 45%)",
    45,
    () => 100 * (1 - stackWeights([[3, 3], [3, 3], [3, 3]]) / stackWeights([[7, 7]])),
  ),
  noteNumber(
    "n000-133",
    { note: "000", line: 133, text: "(3+3) = 6 => 9(3x3)과 비교하면 33% 절감이 된다." },
    "A 3x3 conv as 1x3 then 3x1 saves 33% of the weights",
    "saving in %, C to C channels, from built layers",
    33,
    () => 100 * (1 - stackWeights([[1, 3], [3, 1]]) / stackWeights([[3, 3]])),
  ),
  noteNumber(
    "n000-161",
    {
      note: "000",
      line: 161,
      text: "stride 2를 갖는 Conv를 통해 320개의 featrue-map을 추출하고, pooling layer를 통해 다시 320개를 추출한다.",
    },
    "In the parallel reduction of 35x35x320, the stride-2 convs give 320 maps and the pooling 320 more (640 in all)",
    "output channels of the built parallel block on 35x35x320",
    640,
    () => {
      const x = tf.input({ shape: [35, 35, 320] });
      return gridReduction(x, { kind: "parallel", k: 320 }).shape[3]!;
    },
  ),
  // ---- note 001
  noteNumber(
    "n001-54",
    {
      note: "001",
      line: 54,
      text: ": 2의 n승으로 layer를 거칠 수 있는 모든 경우의 수를 거침으로써 복잡한 매핑을 학습할 수 있음",
    },
    "A residual net with n blocks has 2^n paths through it",
    "input-to-output paths in the built residual-20's layer graph (n = 9 blocks, so 2^9 = 512)",
    512,
    () => {
      const m = buildCifarNet({ depth: 20, shortcuts: true });
      const n = pathCount(m);
      m.dispose();
      return n;
    },
  ),
  // ---- note 002: VGG
  noteNumber(
    "n002-15",
    { note: "002", line: 15, text: "'3*3 필터로 두차례 콘볼루션 하는 것 = 5x5 필터 한번 콘볼루션' 인거 알지?" },
    "Two 3x3 convolutions see as far as one 5x5",
    "receptive field of two stacked stride-1 3x3 convs, from the built stack's response to one pixel",
    5,
    () => receptiveField([3, 3]),
  ),
  noteNumber(
    "n002-17a",
    {
      note: "002",
      line: 17,
      text: "3x3 필터가 2개 이면 총 18게 가중치를 갖고, 5x5 필터 1개는 25개 가중치를 갖기 때문에",
    },
    "Two 3x3 filters have 18 weights",
    "weights of two built 3x3 convs, one channel",
    18,
    () => stackWeights([[3, 3], [3, 3]]),
  ),
  noteNumber(
    "n002-17b",
    {
      note: "002",
      line: 17,
      text: "3x3 필터가 2개 이면 총 18게 가중치를 갖고, 5x5 필터 1개는 25개 가중치를 갖기 때문에",
    },
    "One 5x5 filter has 25 weights",
    "weights of a built 5x5 conv, one channel",
    25,
    () => stackWeights([[5, 5]]),
  ),
  ...vggLayers.map(([line, name, text, filters, depth, k]) =>
    noteNumber(
      `n002-${line}`,
      { note: "002", line, text },
      `VGG-16's ${name} has ${filters} kernels of ${k}x${k}x${depth}`,
      `input channels of each ${k}x${k} kernel of the built VGG-16's ${name} (${filters} kernels)`,
      depth,
      (ev) => kernelDepth(layer(ev, "vgg16", name), k),
    )
  ),
  ...vggShapes.map(([line, name, text, shape]) =>
    noteShape(
      `n002-${line}`,
      { note: "002", line, text },
      `VGG-16's ${name} outputs ${shape}`,
      shape,
      (ev) => layer(ev, "vgg16", name).output,
    )
  ),
  noteNumber(
    "n002-58",
    { note: "002", line: 58, text: "14층 fully connect 1 : 4096개 7x7x512 필터커널 특성맵 컨볼루션" },
    "VGG-16's first fully connected layer has 4096 units over 7x7x512 inputs",
    "weights of the built fc1 / 4096 (its inputs per unit)",
    7 * 7 * 512,
    (ev) => kernelWeights(layer(ev, "vgg16", "fc1")) / 4096,
  ),
  noteNumber(
    "n002-61",
    { note: "002", line: 61, text: "16층 fully connect 3 : 10000개의 뉴런, fc2층의 4096개의 뉴런과 연결" },
    "VGG-16's last fully connected layer has 10,000 units",
    "units of the built VGG-16's classifier (1,000 ImageNet classes, as line 62 says)",
    10000,
    (ev) => layer(ev, "vgg16", "predictions").output[0],
  ),
  // ---- note 002: LeNet-5
  noteShape(
    "n002-76",
    { note: "002", line: 76, text: "인풋 32x3" },
    "LeNet-5's input is 32x3",
    "32x3",
    (ev) => {
      const c1 = layer(ev, "lenet5", "C1").output;
      return [c1[0] + 4, c1[1] + 4]; // a valid 5x5 conv takes 4 off each side: the built input is 32x32
    },
  ),
  noteNumber(
    "n002-78",
    { note: "002", line: 78, text: "C1 결과 : 6장의 28x28 특성맵, 훈련해야할 파라미터 개수= (5x5x1 +1)x6 =156" },
    "LeNet-5's C1 has (5x5x1 + 1) x 6 = 156 parameters",
    "parameters of the built C1",
    156,
    (ev) => layer(ev, "lenet5", "C1").params,
  ),
  noteShape(
    "n002-78-shape",
    { note: "002", line: 78, text: "C1 결과 : 6장의 28x28 특성맵, 훈련해야할 파라미터 개수= (5x5x1 +1)x6 =156" },
    "LeNet-5's C1 gives 6 maps of 28x28",
    "28x28x6",
    (ev) => layer(ev, "lenet5", "C1").output,
  ),
  noteNumber(
    "n002-81",
    {
      note: "002",
      line: 81,
      text: "S2 결과 : 14x14 특성맵, ... 서브샘플링 방법은 average pooling, 훈련해야할 파라미터 개수: (1+1)*6=12",
    },
    "LeNet-5's S2 has (1 + 1) x 6 = 12 parameters",
    "parameters of the built S2 (a trainable coefficient and bias per map)",
    12,
    (ev) => layer(ev, "lenet5", "S2").params,
  ),
  noteNumber(
    "n002-84",
    { note: "002", line: 84, text: "C3 결과 : 16장의 10x10  ?? , 456+606+303+151 =총 1516" },
    "LeNet-5's C3 has 456 + 606 + 303 + 151 = 1,516 parameters",
    "parameters of the built, partially connected C3",
    1516,
    (ev) => layer(ev, "lenet5", "C3").params,
  ),
  noteNumber(
    "n002-86",
    {
      note: "002",
      line: 86,
      text: "6장의 14x14 특성맵에서 연속된 3장씩 모아 5x5x3 필터와 컨볼루션 = 6장의 10x10 특성맵, (5x5x3+1)x6 =456",
    },
    "C3's 6 maps over 3 contiguous inputs have (5x5x3 + 1) x 6 = 456 parameters",
    "parameters of the built C3's maps 0-5 (LeCun et al. 1998, table 1)",
    456,
    (ev) => c3Group(ev, (_r, j) => j < 6),
  ),
  noteNumber(
    "n002-87",
    {
      note: "002",
      line: 87,
      text: "6장의 14x14 특성맵에서 연속됭 4장씩 모아 5x5x4 필터와 컨볼루션 = 6장의 10x10 특성맵, (5x5x4+1)x6 =606",
    },
    "C3's 6 maps over 4 contiguous inputs have (5x5x4 + 1) x 6 = 606 parameters",
    "parameters of the built C3's maps 6-11",
    606,
    (ev) => c3Group(ev, (_r, j) => j >= 6 && j < 12),
  ),
  noteNumber(
    "n002-88",
    {
      note: "002",
      line: 88,
      text: "6장의 14x14 특성맵에서 불연속된 4장씩 모아 5x5x4 필터와 컨볼루션 = 3장의 10x10 특성맵, (5x5x4+1)x3 =303",
    },
    "C3's 3 maps over 4 non-contiguous inputs have (5x5x4 + 1) x 3 = 303 parameters",
    "parameters of the built C3's maps 12-14",
    303,
    (ev) => c3Group(ev, (_r, j) => j >= 12 && j < 15),
  ),
  noteNumber(
    "n002-89",
    {
      note: "002",
      line: 89,
      text: "6장의 14x14 특성맵에서 모두를 가지고 5x5x6 필터와 컨볼루션 = 1장의 10x10 특성맵, (5x5x6+1)x1 =151",
    },
    "C3's map over all 6 inputs has (5x5x6 + 1) x 1 = 151 parameters",
    "parameters of the built C3's map 15",
    151,
    (ev) => c3Group(ev, (_r, j) => j === 15),
  ),
  noteNumber(
    "n002-92",
    { note: "002", line: 92, text: "S4 결과 : 16장의 5x5 특성맵, (1+1)x16 =32" },
    "LeNet-5's S4 has (1 + 1) x 16 = 32 parameters",
    "parameters of the built S4",
    32,
    (ev) => layer(ev, "lenet5", "S4").params,
  ),
  noteNumber(
    "n002-95",
    { note: "002", line: 95, text: "C5 결과 : 120x1x1 특성맵, (5x5x16 +1)x120 =48120" },
    "LeNet-5's C5 has (5x5x16 + 1) x 120 = 48,120 parameters",
    "parameters of the built C5",
    48120,
    (ev) => layer(ev, "lenet5", "C5").params,
  ),
  noteNumber(
    "n002-97",
    {
      note: "002",
      line: 97,
      text: "FC6 : 84개의 유닛을 가진 feedforward network. ... 훈련해야할 파라미터 개수: (120+1)x84 =10164",
    },
    "LeNet-5's F6 has (120 + 1) x 84 = 10,164 parameters",
    "parameters of the built F6",
    10164,
    (ev) => layer(ev, "lenet5", "F6").params,
  ),
  noteNumber(
    "n002-101-sum",
    {
      note: "002",
      line: 101,
      text: "LeNet-5 를 제대로 가동하기 위해 훈련해야 할 파라미터 156+12+32+48120+10164 = 총60000",
    },
    "The sum as written: 156 + 12 + 32 + 48,120 + 10,164 = 60,000",
    "the five terms as written, added (C3's 1,516 is not among them)",
    60000,
    () => 156 + 12 + 32 + 48120 + 10164,
  ),
  noteNumber(
    "n002-101-total",
    {
      note: "002",
      line: 101,
      text: "LeNet-5 를 제대로 가동하기 위해 훈련해야 할 파라미터 156+12+32+48120+10164 = 총60000",
    },
    "LeNet-5 has 60,000 trainable parameters in all",
    "trainable parameters of the built LeNet-5 (its RBF output is fixed)",
    60000,
    (ev) => table(ev, "lenet5").totals.trainable,
  ),
  // ---- note 002: AlexNet
  noteNumber(
    "n002-114",
    { note: "002", line: 114, text: "layer 1 결과 : 96장의 55x55 특성맵 (55x55x96)" },
    "AlexNet's first layer (11x11, stride 4, no zero padding, on the 224x224 input of line 111) gives 55x55 maps",
    "output side of a built 11x11 stride-4 conv with no padding on a 224x224 input",
    55,
    () => builtSide(224, 11, 4, 0),
  ),
  ...alexKernels.map(([line, name, text, filters, depth, k]) =>
    noteNumber(
      `n002-${line}`,
      { note: "002", line, text },
      `AlexNet's ${name} has ${filters} kernels of ${k}x${k}x${depth}`,
      `input channels of each ${k}x${k} kernel of the built two-tower AlexNet's ${name} (per tower)`,
      depth,
      (ev) => kernelDepth(layer(ev, "alexnet_2tower", name), k),
    )
  ),
  ...alexShapes.map(([line, name, text, shape]) =>
    noteShape(
      `n002-${line}`,
      { note: "002", line, text },
      `AlexNet's ${name} outputs ${shape}`,
      shape,
      (ev) => layer(ev, "alexnet_2tower", name).output,
    )
  ),
  noteNumber(
    "n002-142",
    { note: "002", line: 142, text: "layer 6 : 전단계 특성맵에 4096개의 6x6x256 필터커널 사용해 컨볼루션" },
    "AlexNet's sixth layer has 4096 units over 6x6x256 inputs",
    "weights of the built fc6 / 4096",
    6 * 6 * 256,
    (ev) => kernelWeights(layer(ev, "alexnet_2tower", "fc6")) / 4096,
  ),
  noteNumber(
    "n002-152-lenet",
    {
      note: "002",
      line: 152,
      text: "*LeNet-5에서 6만개 파라미터가 훈련되야 했던것에 반해 AlexNet에선 6천만개 파라미터가 훈련되어야 함.",
    },
    "LeNet-5 trains 60 thousand parameters",
    "trainable parameters of the built LeNet-5, in thousands (one significant digit, as written)",
    60,
    (ev) => table(ev, "lenet5").totals.trainable / 1000,
    { exact: { step: 10 } },
  ),
  noteNumber(
    "n002-152-alexnet",
    {
      note: "002",
      line: 152,
      text: "*LeNet-5에서 6만개 파라미터가 훈련되야 했던것에 반해 AlexNet에선 6천만개 파라미터가 훈련되어야 함.",
    },
    "AlexNet trains 60 million parameters",
    "trainable parameters of the built two-tower AlexNet, in millions (one significant digit, as written)",
    60,
    (ev) => table(ev, "alexnet_2tower").totals.trainable / 1e6,
    { exact: { step: 10 } },
  ),
  // ---- note 002: GoogLeNet
  noteNumber(
    "n002-191",
    { note: "002", line: 191, text: "연산횟수 = (14x14x48)x(5x5x480) =약 112.9M" },
    "A 5x5 conv from 14x14x480 to 48 maps takes about 112.9M multiplications",
    "multiply-adds of the built layer, in millions ('약': within 0.1M)",
    112.9,
    () => conv5x5Madds(false) / 1e6,
    { about: { step: 0.1 } },
  ),
  noteShape(
    "n002-193",
    {
      note: "002",
      line: 193,
      text: "14x14x480 (480장의 14x14 특성맵) 을 16개의 5x5x16 필터커널로 컨볼루션 하면, (padding =2, stride =1)",
    },
    "Sixteen 5x5x16 kernels convolve the 14x14x480 maps",
    "5x5x16",
    () => {
      // A kernel applied to 480 maps spans all 480 of them: the built layer's kernel shape.
      const x = tf.input({ shape: [14, 14, 480] });
      const conv = tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: "same" });
      conv.apply(x);
      return (conv.getWeights()[0].shape as number[]).slice(0, 3);
    },
  ),
  noteNumber(
    "n002-197",
    { note: "002", line: 197, text: "연산횟수 = (14x14x16)x(1x1x480) + (14x14x48)x(5x5x16) =약 5.3M" },
    "With a 1x1 reduction to 16 maps first, the same takes about 5.3M multiplications",
    "multiply-adds of the built 1x1 (480 to 16) then 5x5 (16 to 48) layers, in millions ('약': within 0.1M)",
    5.3,
    () => conv5x5Madds(true) / 1e6,
    { about: { step: 0.1 } },
  ),
  noteNumber(
    "n002-200",
    { note: "002", line: 200, text: "9개의 inception 모듈을 포함하고 있음" },
    "GoogLeNet has 9 Inception modules",
    "Inception modules (concatenations) in the built GoogLeNet",
    9,
    (ev) => table(ev, "googlenet").layers.filter((l) => /^inception.*_concat$/.test(l.name)).length,
  ),
  noteNumber(
    "n002-212",
    {
      note: "002",
      line: 212,
      text: "FC 방식은 1024개의 7x7x1024 필터커널로 컨볼루션 한다면 필요한 가중치는 7x7x1024x1024 =51.3M 인 반면,",
    },
    "A fully connected layer from 7x7x1024 to 1024 needs 7x7x1024x1024 = 51.3M weights",
    "weights of a built Dense(1024) on 50,176 inputs, no bias, in millions (no '약': exact at 0.1M)",
    51.3,
    () => denseWeights(7 * 7 * 1024, 1024) / 1e6,
    { exact: { step: 0.1 } },
  ),
  noteNumber(
    "n002-212-gap",
    {
      note: "002",
      line: 212,
      text: "GAP 방식은 1024개의 7x7x1 필터커널로 사용하면 필요한 가중치는 없다.",
    },
    "Global average pooling over 7x7x1024 needs no weights",
    "parameters of a built GlobalAveragePooling2D",
    0,
    () => {
      const x = tf.input({ shape: [7, 7, 1024] });
      const m = tf.model({ inputs: x, outputs: tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor });
      const n = countWeights(m.weights);
      m.dispose();
      return n;
    },
  ),
  // ---- note 003
  noteNumber(
    "n003-48",
    { note: "003", line: 48, text: "⇒ total params = (96X128X3X3) + (96X192X1X1) = 129,024개" },
    "1x1 (192 to 96) then 3x3 (96 to 128) has 129,024 weights",
    "kernel weights of the built pair (no biases)",
    129024,
    () => convPairWeights([[192, 96, 1], [96, 128, 3]]),
  ),
  noteNumber(
    "n003-58",
    { note: "003", line: 58, text: "⇒ total params = 128X192X3X3 = 221,184개" },
    "A 3x3 conv from 192 to 128 channels has 221,184 weights",
    "kernel weights of the built layer (no biases)",
    221184,
    () => convPairWeights([[192, 128, 3]]),
  ),
  noteNumber(
    "n003-62",
    { note: "003", line: 62, text: "⇒ result: **약 2배 차이 (1.71배)**" },
    "The 3x3 conv has 1.71 times the weights of the 1x1 + 3x3 pair",
    "221,184 / 129,024 from the built layers (two decimals, as written)",
    1.71,
    () => convPairWeights([[192, 128, 3]]) / convPairWeights([[192, 96, 1], [96, 128, 3]]),
    { exact: { step: 0.01 } },
  ),
  noteNumber(
    "n003-62-about",
    { note: "003", line: 62, text: "⇒ result: **약 2배 차이 (1.71배)**" },
    "The 3x3 conv has about 2 times the weights of the 1x1 + 3x3 pair",
    "the same ratio ('약': within 1)",
    2,
    () => convPairWeights([[192, 128, 3]]) / convPairWeights([[192, 96, 1], [96, 128, 3]]),
    { about: { step: 1 } },
  ),
  noteNumber(
    "n003-86",
    {
      note: "003",
      line: 86,
      text: "⇒ Input_shape=(224, 224) → 7X7 Conv를 통과 → size는 절반(표 참고)이 되어야 하므로 padding=2로 결정",
    },
    "GoogLeNet's 7x7 stride-2 conv halves 224 to 112 with padding 2",
    "output side of a built 7x7 stride-2 conv with symmetric padding 2 on 224 (padding 3 gives 112)",
    112,
    () => builtSide(224, 7, 2, 2),
  ),
  {
    id: "n003-10",
    claim: "GoogLeNet has fewer parameters than VGGNet",
    source: cite({ note: "003", line: 10, text: "- VGGNet보다 더 적은 parameter수로 1등 달성" }),
    experiment: EXP,
    metric: "trainable parameters of the built GoogLeNet (no auxiliary heads) and VGG-16",
    expected: "GoogLeNet < VGG-16",
    judge: (ev): Judgement => {
      const g = table(ev, "googlenet").totals.trainable, v = table(ev, "vgg16").totals.trainable;
      return {
        verdict: g < v ? "supported" : "contradicted",
        effect: `GoogLeNet ${g.toLocaleString("en-US")} vs VGG-16 ${v.toLocaleString("en-US")}`,
        runs: [],
        files: ["costs.json"],
      };
    },
  },
  {
    id: "n003-135",
    claim: "Flattening 7x7x1024 into a 1000-way linear layer takes tens of millions of parameters",
    source: cite({
      note: "003",
      line: 135,
      text: "- feature map size = 7X7X1024로 flatten하면 수천만 개의 파라미터가 생긴다.",
    }),
    experiment: EXP,
    metric: "weights of a built Dense(1000) on 50,176 inputs (line 138: linear 1x1x1000)",
    expected: "between 10 and 100 million ('수천만')",
    judge: (): Judgement => {
      const n = denseWeights(7 * 7 * 1024, 1000);
      return { verdict: n >= 1e7 && n < 1e8 ? "supported" : "contradicted", effect: `computed ${n}`, runs: [] };
    },
  },
  // ---- note 004
  noteNumber(
    "n004-25",
    { note: "004", line: 25, text: "Total # parameters = 5*3 + 3*2 = 21" },
    "A 5-3-2 fully connected net has 5x3 + 3x2 = 21 weights",
    "weights of two built Dense layers without biases (with its 5 biases: 26 parameters)",
    21,
    () => denseWeights(5, 3) + denseWeights(3, 2),
  ),
  noteNumber(
    "n004-108",
    { note: "004", line: 108, text: "* 더 깊게 쌓으려는 첫 시도 (16 layers, 19 layers)" },
    "VGG-16 has 16 weight layers",
    "conv and dense layers of the built VGG-16",
    16,
    (ev) => table(ev, "vgg16").layers.filter((l) => l.params > 0).length,
  ),
  noteNumber(
    "n004-119-7x7",
    {
      note: "004",
      line: 119,
      text: "* 7x7 필터 1개면 49개의 매개변수, 그러나 3x3 을 3 층으로 쌓으면 27개 로 더 간단.",
    },
    "One 7x7 filter has 49 parameters",
    "weights of a built 7x7 conv, one channel",
    49,
    () => stackWeights([[7, 7]]),
  ),
  noteNumber(
    "n004-119-3x3",
    {
      note: "004",
      line: 119,
      text: "* 7x7 필터 1개면 49개의 매개변수, 그러나 3x3 을 3 층으로 쌓으면 27개 로 더 간단.",
    },
    "Three stacked 3x3 filters have 27 parameters",
    "weights of three built 3x3 convs, one channel",
    27,
    () => stackWeights([[3, 3], [3, 3], [3, 3]]),
  ),
  noteNumber(
    "n004-182",
    { note: "004", line: 182, text: "* 입력 이미지의 해상도가 224x224에서 299x299로 증가" },
    "Inception-v3 takes 299x299 images",
    "input side of the built Inception-v3 (its first conv, 3x3 stride 2 valid, gives 149)",
    299,
    (ev) => {
      const t = table(ev, "inception_v3");
      const input = t.layers.find((l) => l.type === "InputLayer");
      return input ? input.output[0] : 2 * layer(ev, "inception_v3", "conv1").output[0] + 1;
    },
  ),
  noteNumber(
    "n004-188-depth",
    { note: "004", line: 188, text: "* 22-layer에서 42-layer로 깊어지고, 연산량이 2.5배 증가" },
    "Inception-v3 is 42 layers deep",
    "layers with parameters along the longest path of the built Inception-v3, counted as GoogLeNet's 22 (each 1xn and nx1 conv counts)",
    42,
    () => onBuilt("inception_v3", weightedDepth),
  ),
  noteNumber(
    "n004-188",
    { note: "004", line: 188, text: "* 22-layer에서 42-layer로 깊어지고, 연산량이 2.5배 증가" },
    "Inception-v3 takes 2.5 times GoogLeNet's computation",
    "multiply-adds per image, built Inception-v3 / built GoogLeNet (one decimal, as written)",
    2.5,
    (ev) => table(ev, "inception_v3").totals.madds / table(ev, "googlenet").totals.madds,
    { exact: { step: 0.1 } },
  ),
  noteNumber(
    "n004-202",
    { note: "004", line: 202, text: "* 연산량도 3x3 =9 -> 3+3=6 으로 절감." },
    "Factorising 3x3 into 1x3 and 3x1 takes the weights from 9 to 6",
    "weights of a built 1x3 then 3x1 pair, one channel",
    6,
    () => stackWeights([[1, 3], [3, 1]]),
  ),
];

/** Weights of a Dense layer without bias, built. */
function denseWeights(inputs: number, units: number): number {
  const x = tf.input({ shape: [inputs] });
  const m = tf.model({ inputs: x, outputs: tf.layers.dense({ units, useBias: false }).apply(x) as tf.SymbolicTensor });
  const n = countWeights(m.weights);
  m.dispose();
  return n;
}

/** Kernel weights of a chain of built convs ([in, out, kernel] each, no biases). */
function convPairWeights(layers: Array<[number, number, number]>): number {
  const x = tf.input({ shape: [8, 8, layers[0][0]] });
  let y = x as tf.SymbolicTensor;
  for (const [, out, k] of layers) {
    y = tf.layers.conv2d({ filters: out, kernelSize: k, padding: "same", useBias: false }).apply(
      y,
    ) as tf.SymbolicTensor;
  }
  const m = tf.model({ inputs: x, outputs: y });
  const n = countWeights(m.weights);
  m.dispose();
  return n;
}

/** Multiply-adds of a built 5x5 conv from 14x14x480 to 48 maps, with or without a 1x1 reduction to 16 first. */
function conv5x5Madds(reduced: boolean): number {
  const x = tf.input({ shape: [14, 14, 480] });
  let y = x as tf.SymbolicTensor;
  if (reduced) y = tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: false }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 48, kernelSize: 5, padding: "same", useBias: false }).apply(y) as tf.SymbolicTensor;
  const m = tf.model({ inputs: x, outputs: y });
  const madds = accountModel(m).totals.madds;
  m.dispose();
  return madds;
}
