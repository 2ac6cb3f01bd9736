/**
 * The study notes' numbers, one record per statement: every parameter
 * count, multiplication count, output shape, sum of terms and saving that
 * notes 000 to 004 state about an architecture, quoted as written (note and
 * line), with the check that computes it from built layers or the zoo's
 * `costs.json` (a named function of lib/models/note_checks.ts). Where a
 * note is wrong the verdict is `contradicted` and the entry gives the right
 * value; the claim is never rewritten into its corrected form. A tolerance
 * applies only where the note says "about" (약, 수준): within one unit of
 * its last digit; otherwise the computed number must equal the stated one
 * after the note's own rounding.
 *
 * The records are data ({@link NOTE_LINES}); {@link noteClaim} turns one
 * into a ledger claim.
 * @module
 */
import type { Claim, Judgement } from "../lib/ledger/claims.ts";
import { exactClaim, type ExactSpec } from "../lib/ledger/claim_builders.ts";
import type { Evidence } from "../lib/ledger/evidence.ts";
import { type CostTables, type NoteCheck, runNoteCheck } from "../lib/models/note_checks.ts";
import { zooCostsOf } from "../lib/models/zoo_costs.ts";

/** One statement of a note, and how it is checked. */
export interface NoteLine {
  /** Ledger id: `n<note>-<line>`, with a suffix when a line states several things. */
  id: string;
  note: "000" | "001" | "002" | "003" | "004";
  line: number;
  /** The line's words, as written (Korean, with its own typos). */
  text: string;
  /** What it states, in the suite's words. */
  claim: string;
  /** What is computed (default for a shape: the built layer's output shape). */
  metric?: string;
  /** The number as stated (judged by `match`), a shape as written (`224x224x64`), or the expectation in words. */
  stated: number | string;
  /** How a stated number may differ from the computed one (default: equal after rounding to 1). */
  match?: ExactSpec["match"];
  /**
   * The check: a named check and its arguments (lib/models/note_checks.ts);
   * or a comparison of two checks (`less`), a range (`within`), what the
   * source documents where the statement is about a source (`documented`: a
   * date, a citation, an attribution, what a paper says a result means; the
   * stated words are compared with the source's), or why the statement
   * cannot be decided here (`notChecked`: an entry `not-run`, with what our
   * build measures where that informs it).
   */
  check:
    | NoteCheck
    | { less: [NoteCheck, NoteCheck]; names: [string, string] }
    | { within: NoteCheck; from: number; below: number }
    | { documented: string; from: string }
    | { notChecked: string; measured?: { check: NoteCheck; what: string } };
}

/** Where a note line is quoted from, as the ledger's source column shows it. */
export function cite(r: Pick<NoteLine, "note" | "line" | "text">): string {
  return `note ${r.note}, line ${r.line}: "${r.text}"`;
}

/** The zoo's cost tables from the evidence. Checks that build their own layers need none, so a missing file is empty. */
function tablesOf(ev: Evidence): CostTables {
  return "costs.json" in ev.files ? zooCostsOf(ev.files).tables : {};
}

/** A ledger claim from one record. */
export function noteClaim(r: NoteLine): Claim {
  const base = { id: r.id, claim: r.claim, source: cite(r) };
  const c = r.check;
  if ("notChecked" in c) {
    const expected = typeof r.stated === "number" ? `= ${r.stated}` : r.stated;
    const judge = (ev: Evidence): Judgement => {
      const m = c.measured;
      const got = m ? runNoteCheck(m.check, tablesOf(ev)) : undefined;
      const shown = typeof got === "number" ? String(Number(got.toPrecision(4))) : got?.join("x");
      return { verdict: "not-run", effect: `${c.notChecked}${m ? `; ${m.what}: ${shown}` : ""}`, runs: [] };
    };
    return { ...base, metric: r.metric ?? "", expected, judge };
  }
  if ("documented" in c) {
    // A statement about a source (who, when, what it says): the note's words against the source's.
    const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
    return {
      ...base,
      metric: r.metric ?? "what the source documents",
      expected: `as documented: ${c.documented}`,
      judge: (): Judgement => ({
        verdict: same(String(r.stated), c.documented) ? "supported" : "contradicted",
        effect: `the note says "${r.stated}"; the source: ${c.documented} (${c.from})`,
        runs: [],
      }),
    };
  }
  if ("less" in c) {
    return {
      ...base,
      metric: r.metric ?? "",
      expected: String(r.stated),
      judge: (ev): Judgement => {
        const [a, b] = c.less.map((x) => runNoteCheck(x, tablesOf(ev)) as number);
        return {
          verdict: a < b ? "supported" : "contradicted",
          effect: `${c.names[0]} ${a.toLocaleString("en-US")} vs ${c.names[1]} ${b.toLocaleString("en-US")}`,
          runs: [],
          files: ["costs.json"],
        };
      },
    };
  }
  if ("within" in c) {
    return {
      ...base,
      metric: r.metric ?? "",
      expected: String(r.stated),
      judge: (ev): Judgement => {
        const n = runNoteCheck(c.within, tablesOf(ev)) as number;
        return {
          verdict: n >= c.from && n < c.below ? "supported" : "contradicted",
          effect: `computed ${n}`,
          runs: [],
        };
      },
    };
  }
  if (typeof r.stated === "string") {
    // A shape, compared as written.
    const stated = r.stated;
    return {
      ...base,
      metric: r.metric ?? "output shape of the built layer (height x width x channels)",
      expected: `= ${stated}`,
      judge: (ev): Judgement => {
        const got = (runNoteCheck(c, tablesOf(ev)) as number[]).join("x");
        return {
          verdict: got === stated ? "supported" : "contradicted",
          effect: got === stated ? `computed ${got}` : `computed ${got}; the right value is ${got}`,
          runs: [],
          files: ["costs.json"],
        };
      },
    };
  }
  return exactClaim({
    ...base,
    metric: r.metric ?? "",
    stated: r.stated,
    compute: (ev) => runNoteCheck(c, tablesOf(ev)) as number,
    match: r.match ?? { exact: { step: 1 } },
  });
}

/** Every checkable statement of notes 000 to 004 about an architecture's numbers, in note and line order. */
export const NOTE_LINES: NoteLine[] = [
  {
    id: "n000-7-googlenet",
    note: "000",
    line: 7,
    text: "- 14년의 대표주자 GoogleNet, VGGnet은 22layer, 19layer로 깊어지게 된다.",
    claim: "GoogLeNet is 22 layers deep",
    metric: "layers with parameters along the longest path of the built GoogLeNet (the paper's way of counting)",
    stated: 22,
    check: ["zooDepth", "googlenet"],
  },
  {
    id: "n000-7-vgg19",
    note: "000",
    line: 7,
    text: "- 14년의 대표주자 GoogleNet, VGGnet은 22layer, 19layer로 깊어지게 된다.",
    claim: "VGGNet (its 19-layer configuration) is 19 layers deep",
    metric: "weight layers of a built VGG-19",
    stated: 19,
    check: {
      notChecked: "the zoo builds VGG-16 only (its 16 weight layers are checked by n004-108); no VGG-19 to count",
    },
  },
  {
    id: "n000-23",
    note: "000",
    line: 23,
    text: "망의 깊이는 훨씬 깊은데 AlexNet보다 free parameter 수는 1/12 수준이고",
    claim: "GoogLeNet has about 1/12 of AlexNet's parameters",
    metric: "AlexNet (two towers) / GoogLeNet (without auxiliary heads), trainable parameters; '수준' read as 'about'",
    stated: 12,
    match: { about: { step: 1 } },
    check: ["trainableRatio", "alexnet_2tower", "googlenet"],
  },
  {
    id: "n000-23-computation",
    note: "000",
    line: 23,
    text: "망의 깊이는 훨씬 깊은데 AlexNet보다 free parameter 수는 1/12 수준이고 전체 연산량 숫자도 적다.",
    claim: "GoogLeNet also takes less computation in all than AlexNet",
    metric: "multiply-adds per image of the built GoogLeNet and two-tower AlexNet",
    stated: "GoogLeNet < AlexNet",
    check: { less: [["madds", "googlenet", 1], ["madds", "alexnet_2tower", 1]], names: ["GoogLeNet", "AlexNet"] },
  },

  {
    id: "n000-24",
    note: "000",
    line: 24,
    text: "GoogleNet에는 총 9개의 Inceptio 모듈이 적용되어 있다.",
    claim: "GoogLeNet has 9 Inception modules",
    metric: "Inception modules (concatenations) in the built GoogLeNet",
    stated: 9,
    check: ["inceptionModules", "googlenet"],
  },
  {
    id: "n000-51-alexnet",
    note: "000",
    line: 51,
    text: "CNN 최종단의 Fully-connected NN는 free parameter중 90% 수준이므로",
    claim: "The fully connected layers at a CNN's end hold about 90% of its parameters (AlexNet)",
    metric:
      "share of AlexNet's (two towers) trainable parameters in its fully connected layers (fc6-fc8), %; '수준' read as 'about'",
    stated: 90,
    match: { about: { step: 10 } },
    check: ["denseShare", "alexnet_2tower"],
  },
  {
    id: "n000-51-vgg16",
    note: "000",
    line: 51,
    text: "CNN 최종단의 Fully-connected NN는 free parameter중 90% 수준이므로",
    claim: "The fully connected layers at a CNN's end hold about 90% of its parameters (VGG-16)",
    metric:
      "share of VGG-16's trainable parameters in its fully connected layers (fc1, fc2, the classifier), %; '수준' read as 'about'",
    stated: 90,
    match: { about: { step: 10 } },
    check: ["denseShare", "vgg16"],
  },
  {
    id: "n000-92",
    note: "000",
    line: 92,
    text: "  - 학습이 아주 느려지거나 overfitting 된다.",
    claim: "Vanishing gradients make training very slow or make the net overfit",
    metric: "the failure vanishing gradients cause, as the sources describe it",
    stated: "overfitting",
    check: {
      documented: "slow or stalled learning in the lower layers: underfitting (a high training loss), not overfitting",
      from: "He et al. 2016, section 1: vanishing gradients 'hamper convergence from the beginning'",
    },
  },
  {
    id: "n000-122",
    note: "000",
    line: 122,
    text: "5x5 conv는 더 넓은 영역에 걸쳐있는 특징을 1번에 추출할 수 있으나 25/9 = 2.78배 비싼 unit이다.",
    claim: "A 5x5 conv is 25/9 = 2.78 times as expensive as a 3x3 one",
    metric: "weights of a 5x5 conv / a 3x3 conv, same channels, from built layers (two decimals, as written)",
    stated: 2.78,
    match: { exact: { step: 0.01 } },
    check: ["stackRatio", [[5, 5]], [[3, 3]]],
  },
  {
    id: "n000-126",
    note: "000",
    line: 126,
    text: "5x5 -> (9 + 9)로 free paramter수를 28% 만큼 절감이 가능하다.",
    claim: "A 5x5 conv as two 3x3 convs saves 28% of the weights",
    metric: "saving in %, C to C channels, from built layers",
    stated: 28,
    check: ["stackSaving", [[3, 3], [3, 3]], [[5, 5]]],
  },
  {
    id: "n000-127",
    note: "000",
    line: 127,
    text: "7x7 -> 3 layer 3x3 conv -> (9+9+9) => 45% 절감;;",
    claim: "A 7x7 conv as three 3x3 convs saves 45% of the weights",
    metric: "saving in %, C to C channels, from built layers (44.9% rounds to 45%)",
    stated: 45,
    check: ["stackSaving", [[3, 3], [3, 3], [3, 3]], [[7, 7]]],
  },
  {
    id: "n000-133",
    note: "000",
    line: 133,
    text: "(3+3) = 6 => 9(3x3)과 비교하면 33% 절감이 된다.",
    claim: "A 3x3 conv as 1x3 then 3x1 saves 33% of the weights",
    metric: "saving in %, C to C channels, from built layers",
    stated: 33,
    check: ["stackSaving", [[1, 3], [3, 1]], [[3, 3]]],
  },
  {
    id: "n000-142",
    note: "000",
    line: 142,
    text: "- 대표적인 방식으로는 convolution 수행 시 stride를 1 이상의 값으로 설정하거나 Pooling을 사용하는 것이다.",
    claim: "A convolution with a stride of 1 or more reduces the grid",
    metric: "output side of a built 3x3 conv with stride 1 (padding 1) on a 35x35 grid, against 35",
    stated: "stride 1 reduces the grid",
    check: { less: [["builtSide", 35, 3, 1, 1], ["sum", [35]]], names: ["stride 1 output side", "the input side"] },
  },
  {
    id: "n000-160",
    note: "000",
    line: 160,
    text: "- 오른쪽은 좀더 단순한 방법이다.",
    claim: "The right diagram of the figure is a simpler method",
    metric: "what the right diagram of Szegedy et al. 2016 figure 10 shows",
    stated: "a simpler method",
    check: {
      documented: "the same solution as the left diagram, drawn by grid sizes rather than operations",
      from: "Szegedy et al. 2016, figure 10 caption",
    },
  },
  {
    id: "n000-161",
    note: "000",
    line: 161,
    text: "stride 2를 갖는 Conv를 통해 320개의 featrue-map을 추출하고, pooling layer를 통해 다시 320개를 추출한다.",
    claim:
      "In the parallel reduction of 35x35x320, the stride-2 convs give 320 maps and the pooling 320 more (640 in all)",
    metric: "the channels of the parallel grid reduction of Szegedy et al. 2016, figure 10",
    stated: 640,
    check: {
      notChecked:
        "the line reads figure 10's illustration (320 + 320 = 640), which it repeats faithfully; the suite's own grid block is built to those proportions, so it would only confirm itself, and the zoo's Keras Inception-v3 reduces 35x35x288 to 17x17x768 with other branch widths",
    },
  },

  {
    id: "n001-54",
    note: "001",
    line: 54,
    text: ": 2의 n승으로 layer를 거칠 수 있는 모든 경우의 수를 거침으로써 복잡한 매핑을 학습할 수 있음",
    claim: "A residual net with n blocks has 2^n paths through it",
    metric: "input-to-output paths in the built residual-20's layer graph (n = 9 blocks, so 2^9 = 512)",
    stated: 512,
    check: ["residualPaths", 20],
  },
  {
    id: "n001-44",
    note: "001",
    line: 44,
    text:
      "* 깊이가 깊을수록 overfitting이 일어난다? No ! 56 layer의 학습 최적화가 안 된 것이다. -> vanishing gradient 문제",
    claim: "The 56-layer plain net fails to optimise because of vanishing gradients",
    metric: "what He et al. say causes the degradation of their 56-layer plain net (trained with batch norm)",
    stated: "vanishing gradients",
    check: {
      documented:
        "an optimisation difficulty 'unlikely to be caused by vanishing gradients' (the plain nets with BN show healthy backward gradient norms)",
      from: "He et al. 2016, section 4.1; measured here by depth-6",
    },
  },
  {
    id: "n001-48",
    note: "001",
    line: 48,
    text:
      "몇 개의 layer를 건너 뛰어 연결해 non-linearities를 추가하는 skip connections는 gradient가 layers를 건너뛰어 연결될 수 있는 shortcuts를 만들어 parameters를 network에 deep하게 업데이트 할 수 있다.",
    claim: "Skip connections add non-linearities",
    metric:
      "ReLU layers the built residual-20 has beyond the built plain-20 (its identity shortcuts add a sum, no activation)",
    stated: "at least 1",
    check: { within: ["reluLayersAddedByShortcuts", 20], from: 1, below: Infinity },
  },
  {
    id: "n001-63",
    note: "001",
    line: 63,
    text: ": 모든 이전 layer들의 gradient 값을 앞으로 전달",
    claim: "DenseNet passes the gradients of all earlier layers forward",
    metric: "what each DenseNet layer receives from the layers before it",
    stated: "gradients",
    check: {
      documented:
        "feature maps: the concatenated outputs of all preceding layers (the built DenseNet-121's dense1_l6_concat is 56x56x256 = 64 + 6 x 32 maps)",
      from: "Huang et al. 2017, equation 2",
    },
  },
  {
    id: "n001-84",
    note: "001",
    line: 84,
    text: ": offset field에 따라 feature map을 irregular하게 넓혀줌",
    claim: "A deformable convolution's offset field widens the feature map",
    metric: "output side of a built deformable 3x3 convolution on a 9x9 map, against 9",
    stated: "wider than its input",
    check: { less: [["sum", [9]], ["deformOutputSide", 9, 3]], names: ["input side", "output side"] },
  },

  {
    id: "n002-15",
    note: "002",
    line: 15,
    text: "'3*3 필터로 두차례 콘볼루션 하는 것 = 5x5 필터 한번 콘볼루션' 인거 알지?",
    claim: "Convolving twice with 3x3 filters is the same as convolving once with a 5x5 filter",
    metric:
      "dimension of the 5x5 kernels two built linear 3x3 convs can compose (one channel; a free 5x5 spans 25; with a ReLU between, not even linear)",
    stated: 25,
    check: ["composedKernelDim", [[3, 3], [3, 3]]],
  },
  {
    id: "n002-15-field",
    note: "002",
    line: 15,
    text: "'3*3 필터로 두차례 콘볼루션 하는 것 = 5x5 필터 한번 콘볼루션' 인거 알지?",
    claim: "(the half that holds) Two 3x3 convolutions see as far as one 5x5",
    metric: "receptive field of two stacked stride-1 3x3 convs, from the built stack's response to one pixel",
    stated: 5,
    check: ["receptiveField", [3, 3]],
  },

  {
    id: "n002-17a",
    note: "002",
    line: 17,
    text: "3x3 필터가 2개 이면 총 18게 가중치를 갖고, 5x5 필터 1개는 25개 가중치를 갖기 때문에",
    claim: "Two 3x3 filters have 18 weights",
    metric: "weights of two built 3x3 convs, one channel",
    stated: 18,
    check: ["stackWeights", [[3, 3], [3, 3]]],
  },
  {
    id: "n002-17b",
    note: "002",
    line: 17,
    text: "3x3 필터가 2개 이면 총 18게 가중치를 갖고, 5x5 필터 1개는 25개 가중치를 갖기 때문에",
    claim: "One 5x5 filter has 25 weights",
    metric: "weights of a built 5x5 conv, one channel",
    stated: 25,
    check: ["stackWeights", [[5, 5]]],
  },
  {
    id: "n002-20",
    note: "002",
    line: 20,
    text: "1층 conv1_1 : 64개 3x3x3 필터커널로 입력 이미지를 컨볼루션",
    claim: "VGG-16's block1_conv1 has 64 kernels of 3x3x3",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block1_conv1 (64 kernels)",
    stated: 3,
    check: ["kernelDepth", "vgg16", "block1_conv1", 3],
  },
  {
    id: "n002-23",
    note: "002",
    line: 23,
    text: "2층 conv1_2 : 64개 3x3x64 필터커널로 특성맵을 컨볼루션",
    claim: "VGG-16's block1_conv2 has 64 kernels of 3x3x64",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block1_conv2 (64 kernels)",
    stated: 64,
    check: ["kernelDepth", "vgg16", "block1_conv2", 3],
  },
  {
    id: "n002-27",
    note: "002",
    line: 27,
    text: "3층 conv2_1 : 128개 3x3x64 필터커널로 특성맵을 컨볼루션",
    claim: "VGG-16's block2_conv1 has 128 kernels of 3x3x64",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block2_conv1 (128 kernels)",
    stated: 64,
    check: ["kernelDepth", "vgg16", "block2_conv1", 3],
  },
  {
    id: "n002-29",
    note: "002",
    line: 29,
    text: "4층 conv2_2 : 128개 3x3x128 필터커널로 특성맵을 컨볼루션",
    claim: "VGG-16's block2_conv2 has 128 kernels of 3x3x128",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block2_conv2 (128 kernels)",
    stated: 128,
    check: ["kernelDepth", "vgg16", "block2_conv2", 3],
  },
  {
    id: "n002-33",
    note: "002",
    line: 33,
    text: "5층 conv3_1 : 256개 3x3x128 필터커널로 특성맵을 컨볼루션",
    claim: "VGG-16's block3_conv1 has 256 kernels of 3x3x128",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block3_conv1 (256 kernels)",
    stated: 128,
    check: ["kernelDepth", "vgg16", "block3_conv1", 3],
  },
  {
    id: "n002-35",
    note: "002",
    line: 35,
    text: "6층 conv3_2 : 256개의 3x3x256 필터커널로 특성맵 컨볼루션",
    claim: "VGG-16's block3_conv2 has 256 kernels of 3x3x256",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block3_conv2 (256 kernels)",
    stated: 256,
    check: ["kernelDepth", "vgg16", "block3_conv2", 3],
  },
  {
    id: "n002-37",
    note: "002",
    line: 37,
    text: "7층 conv3_3 : 256개의 3x3x256 필터커널로 특성맵을 컨볼루션",
    claim: "VGG-16's block3_conv3 has 256 kernels of 3x3x256",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block3_conv3 (256 kernels)",
    stated: 256,
    check: ["kernelDepth", "vgg16", "block3_conv3", 3],
  },
  {
    id: "n002-41",
    note: "002",
    line: 41,
    text: "8층 conv4_1 : 512개의 3x3x256 필터커널 특성맵을 컨볼루션",
    claim: "VGG-16's block4_conv1 has 512 kernels of 3x3x256",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block4_conv1 (512 kernels)",
    stated: 256,
    check: ["kernelDepth", "vgg16", "block4_conv1", 3],
  },
  {
    id: "n002-43",
    note: "002",
    line: 43,
    text: "9층 conv4_2 : 512개의 3x3x512 필터커널 특성맵을 컨볼루션",
    claim: "VGG-16's block4_conv2 has 512 kernels of 3x3x512",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block4_conv2 (512 kernels)",
    stated: 512,
    check: ["kernelDepth", "vgg16", "block4_conv2", 3],
  },
  {
    id: "n002-45",
    note: "002",
    line: 45,
    text: "10층 conv4_3 : 512개의 3x3x256 필터커널 특성맵을 컨볼루션",
    claim: "VGG-16's block4_conv3 has 512 kernels of 3x3x256",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block4_conv3 (512 kernels)",
    stated: 256,
    check: ["kernelDepth", "vgg16", "block4_conv3", 3],
  },
  {
    id: "n002-49",
    note: "002",
    line: 49,
    text: "11층 conv5_1 : 512개의 3x3x256 필터커널 특성맵을 컨볼루션",
    claim: "VGG-16's block5_conv1 has 512 kernels of 3x3x256",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block5_conv1 (512 kernels)",
    stated: 256,
    check: ["kernelDepth", "vgg16", "block5_conv1", 3],
  },
  {
    id: "n002-51",
    note: "002",
    line: 51,
    text: "12층 conv5_2 : 512개의 3x3x512 필터커널 특성맵을 컨볼루션",
    claim: "VGG-16's block5_conv2 has 512 kernels of 3x3x512",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block5_conv2 (512 kernels)",
    stated: 512,
    check: ["kernelDepth", "vgg16", "block5_conv2", 3],
  },
  {
    id: "n002-54",
    note: "002",
    line: 54,
    text: "13층 conv5_3 : 512개의 3x3x512 필터커널 특성맵을 컨볼루션",
    claim: "VGG-16's block5_conv3 has 512 kernels of 3x3x512",
    metric: "input channels of each 3x3 kernel of the built VGG-16's block5_conv3 (512 kernels)",
    stated: 512,
    check: ["kernelDepth", "vgg16", "block5_conv3", 3],
  },
  {
    id: "n002-21",
    note: "002",
    line: 21,
    text: "1층 conv1_1 결과 : 64장의 224x224 특성맵 (224x224x64)",
    claim: "VGG-16's block1_conv1 outputs 224x224x64",
    stated: "224x224x64",
    check: ["layerOutput", "vgg16", "block1_conv1"],
  },
  {
    id: "n002-25",
    note: "002",
    line: 25,
    text: "2층 conv1_2 풀링 : 2x2 최대풀링을 stride=2 적용하면 112x112x64 특성맵",
    claim: "VGG-16's block1_pool outputs 112x112x64",
    stated: "112x112x64",
    check: ["layerOutput", "vgg16", "block1_pool"],
  },
  {
    id: "n002-28",
    note: "002",
    line: 28,
    text: "3층 conv2_1 결과 : 128장의 112x112 특성맵 (112x112x128)",
    claim: "VGG-16's block2_conv1 outputs 112x112x128",
    stated: "112x112x128",
    check: ["layerOutput", "vgg16", "block2_conv1"],
  },
  {
    id: "n002-31",
    note: "002",
    line: 31,
    text: "4층 conv2_2 풀링 : 2x2 최대풀링을 stride=2 적용하면 56x56x128 특성맵",
    claim: "VGG-16's block2_pool outputs 56x56x128",
    stated: "56x56x128",
    check: ["layerOutput", "vgg16", "block2_pool"],
  },
  {
    id: "n002-34",
    note: "002",
    line: 34,
    text: "5층 conv3_1 결과 : 256장의 56x56 특성맵 (56x56x256)",
    claim: "VGG-16's block3_conv1 outputs 56x56x256",
    stated: "56x56x256",
    check: ["layerOutput", "vgg16", "block3_conv1"],
  },
  {
    id: "n002-39",
    note: "002",
    line: 39,
    text: "7층 conv3_3 풀링 : 2x2 최대풀링을 stride=2 적용하면 28x28x256 특성맵",
    claim: "VGG-16's block3_pool outputs 28x28x256",
    stated: "28x28x256",
    check: ["layerOutput", "vgg16", "block3_pool"],
  },
  {
    id: "n002-42",
    note: "002",
    line: 42,
    text: "8층 conv4_1 결과 : 512개의 28x28x256 특성맵 (28x28x512)",
    claim: "VGG-16's block4_conv1 outputs 28x28x512",
    stated: "28x28x512",
    check: ["layerOutput", "vgg16", "block4_conv1"],
  },
  {
    id: "n002-42-left",
    note: "002",
    line: 42,
    text: "8층 conv4_1 결과 : 512개의 28x28x256 특성맵 (28x28x512)",
    claim: "(the line's first half) conv4_1 gives 512 maps of 28x28x256, which its second half contradicts",
    stated: "28x28x256",
    check: ["layerOutput", "vgg16", "block4_conv1"],
  },

  {
    id: "n002-46",
    note: "002",
    line: 46,
    text: "10층 conv4_3 풀링 : 2x2 최대풀링을 stride=2 적용하면 14x14x512 특성맵",
    claim: "VGG-16's block4_pool outputs 14x14x512",
    stated: "14x14x512",
    check: ["layerOutput", "vgg16", "block4_pool"],
  },
  {
    id: "n002-47",
    note: "002",
    line: 47,
    text: "10층 conv4_4 결과 : 512개의 14x14x512 특성맵 (14x14x512)",
    claim: "VGG-16 has a conv4_4 layer",
    metric: "whether the built VGG-16 has block4_conv4 (1: it has)",
    stated: 1,
    check: ["hasLayer", "vgg16", "block4_conv4"],
  },
  {
    id: "n002-47-shape",
    note: "002",
    line: 47,
    text: "10층 conv4_4 결과 : 512개의 14x14x512 특성맵 (14x14x512)",
    claim: "Layer 10's convolution outputs 14x14x512",
    metric: "output shape of the built VGG-16's tenth weight layer, block4_conv3 (the pool after it gives 14x14x512)",
    stated: "14x14x512",
    check: ["layerOutput", "vgg16", "block4_conv3"],
  },

  {
    id: "n002-55",
    note: "002",
    line: 55,
    text: "13층 conv5_3 풀링 : 2x2 최대풀링 stride=2 적용하면 7x7x512",
    claim: "VGG-16's block5_pool outputs 7x7x512",
    stated: "7x7x512",
    check: ["layerOutput", "vgg16", "block5_pool"],
  },
  {
    id: "n002-56",
    note: "002",
    line: 56,
    text: "13층 conv5_3 결과 : 512개의 7x7x512 특성맵 (7x7x512)",
    claim: "conv5_3 outputs 7x7x512",
    metric: "output shape of the built VGG-16's block5_conv3 (the pool after it gives 7x7x512)",
    stated: "7x7x512",
    check: ["layerOutput", "vgg16", "block5_conv3"],
  },

  {
    id: "n002-24",
    note: "002",
    line: 24,
    text: "2층 conv1_2 결과 : 64장의 224x224 특성맵 (224x224x64)",
    claim: "VGG-16's conv1_2 outputs 224x224x64",
    stated: "224x224x64",
    check: ["layerOutput", "vgg16", "block1_conv2"],
  },
  {
    id: "n002-30",
    note: "002",
    line: 30,
    text: "4층 conv2_2 결과 : 128장의 112x112 특성맵 (112x112x128)",
    claim: "VGG-16's conv2_2 outputs 112x112x128",
    stated: "112x112x128",
    check: ["layerOutput", "vgg16", "block2_conv2"],
  },
  {
    id: "n002-36",
    note: "002",
    line: 36,
    text: "6층 conv3_2 결과 : 256장의 56x56 특성맵 (56x56x256)",
    claim: "VGG-16's conv3_2 outputs 56x56x256",
    stated: "56x56x256",
    check: ["layerOutput", "vgg16", "block3_conv2"],
  },
  {
    id: "n002-38",
    note: "002",
    line: 38,
    text: "7층 conv3_3 결과 : 256장의 56x56 특성맵 (56x56x256)",
    claim: "VGG-16's conv3_3 outputs 56x56x256",
    stated: "56x56x256",
    check: ["layerOutput", "vgg16", "block3_conv3"],
  },
  {
    id: "n002-44",
    note: "002",
    line: 44,
    text: "9층 conv4_2 결과 : 512개의 28x28x512 특성맵 (28x28x512)",
    claim: "VGG-16's conv4_2 outputs 28x28x512",
    stated: "28x28x512",
    check: ["layerOutput", "vgg16", "block4_conv2"],
  },
  {
    id: "n002-50",
    note: "002",
    line: 50,
    text: "11층 conv5_1 결과 : 512개의 14x14x512 특성맵 (14x14x512)",
    claim: "VGG-16's conv5_1 outputs 14x14x512",
    stated: "14x14x512",
    check: ["layerOutput", "vgg16", "block5_conv1"],
  },
  {
    id: "n002-52",
    note: "002",
    line: 52,
    text: "12층 conv5_2 결과 : 512개의 14x14x512 특성맵 (14x14x512)",
    claim: "VGG-16's conv5_2 outputs 14x14x512",
    stated: "14x14x512",
    check: ["layerOutput", "vgg16", "block5_conv2"],
  },
  {
    id: "n002-58",
    note: "002",
    line: 58,
    text: "14층 fully connect 1 : 4096개 7x7x512 필터커널 특성맵 컨볼루션",
    claim: "VGG-16's first fully connected layer has 4096 units over 7x7x512 inputs",
    metric: "weights of the built fc1 / 4096 (its inputs per unit)",
    stated: 7 * 7 * 512,
    check: ["inputsPerUnit", "vgg16", "fc1"],
  },
  {
    id: "n002-61",
    note: "002",
    line: 61,
    text: "16층 fully connect 3 : 10000개의 뉴런, fc2층의 4096개의 뉴런과 연결",
    claim: "VGG-16's last fully connected layer has 10,000 units",
    metric: "units of the built VGG-16's classifier (1,000 ImageNet classes, as line 62 says)",
    stated: 10000,
    check: ["layerUnits", "vgg16", "predictions"],
  },
  {
    id: "n002-76",
    note: "002",
    line: 76,
    text: "인풋 32x3",
    claim: "LeNet-5's input is 32x3",
    stated: "32x3",
    check: ["validConvInput", "lenet5", "C1", 5],
  },
  {
    id: "n002-78",
    note: "002",
    line: 78,
    text: "C1 결과 : 6장의 28x28 특성맵, 훈련해야할 파라미터 개수= (5x5x1 +1)x6 =156",
    claim: "LeNet-5's C1 has (5x5x1 + 1) x 6 = 156 parameters",
    metric: "parameters of the built C1",
    stated: 156,
    check: ["layerParams", "lenet5", "C1"],
  },
  {
    id: "n002-78-shape",
    note: "002",
    line: 78,
    text: "C1 결과 : 6장의 28x28 특성맵, 훈련해야할 파라미터 개수= (5x5x1 +1)x6 =156",
    claim: "LeNet-5's C1 gives 6 maps of 28x28",
    stated: "28x28x6",
    check: ["layerOutput", "lenet5", "C1"],
  },
  {
    id: "n002-81",
    note: "002",
    line: 81,
    text: "S2 결과 : 14x14 특성맵, ... 서브샘플링 방법은 average pooling, 훈련해야할 파라미터 개수: (1+1)*6=12",
    claim: "LeNet-5's S2 has (1 + 1) x 6 = 12 parameters",
    metric: "parameters of the built S2 (a trainable coefficient and bias per map)",
    stated: 12,
    check: ["layerParams", "lenet5", "S2"],
  },
  {
    id: "n002-84",
    note: "002",
    line: 84,
    text: "C3 결과 : 16장의 10x10  ?? , 456+606+303+151 =총 1516",
    claim: "LeNet-5's C3 has 456 + 606 + 303 + 151 = 1,516 parameters",
    metric: "parameters of the built, partially connected C3",
    stated: 1516,
    check: ["layerParams", "lenet5", "C3"],
  },
  {
    id: "n002-86",
    note: "002",
    line: 86,
    text: "6장의 14x14 특성맵에서 연속된 3장씩 모아 5x5x3 필터와 컨볼루션 = 6장의 10x10 특성맵, (5x5x3+1)x6 =456",
    claim: "C3's 6 maps over 3 contiguous inputs have (5x5x3 + 1) x 6 = 456 parameters",
    metric: "parameters of the built C3's maps 0-5 (LeCun et al. 1998, table 1)",
    stated: 456,
    check: ["lenetC3Maps", 0, 6],
  },
  {
    id: "n002-87",
    note: "002",
    line: 87,
    text: "6장의 14x14 특성맵에서 연속됭 4장씩 모아 5x5x4 필터와 컨볼루션 = 6장의 10x10 특성맵, (5x5x4+1)x6 =606",
    claim: "C3's 6 maps over 4 contiguous inputs have (5x5x4 + 1) x 6 = 606 parameters",
    metric: "parameters of the built C3's maps 6-11",
    stated: 606,
    check: ["lenetC3Maps", 6, 12],
  },
  {
    id: "n002-88",
    note: "002",
    line: 88,
    text: "6장의 14x14 특성맵에서 불연속된 4장씩 모아 5x5x4 필터와 컨볼루션 = 3장의 10x10 특성맵, (5x5x4+1)x3 =303",
    claim: "C3's 3 maps over 4 non-contiguous inputs have (5x5x4 + 1) x 3 = 303 parameters",
    metric: "parameters of the built C3's maps 12-14",
    stated: 303,
    check: ["lenetC3Maps", 12, 15],
  },
  {
    id: "n002-89",
    note: "002",
    line: 89,
    text: "6장의 14x14 특성맵에서 모두를 가지고 5x5x6 필터와 컨볼루션 = 1장의 10x10 특성맵, (5x5x6+1)x1 =151",
    claim: "C3's map over all 6 inputs has (5x5x6 + 1) x 1 = 151 parameters",
    metric: "parameters of the built C3's map 15",
    stated: 151,
    check: ["lenetC3Maps", 15, 16],
  },
  {
    id: "n002-92",
    note: "002",
    line: 92,
    text: "S4 결과 : 16장의 5x5 특성맵, (1+1)x16 =32",
    claim: "LeNet-5's S4 has (1 + 1) x 16 = 32 parameters",
    metric: "parameters of the built S4",
    stated: 32,
    check: ["layerParams", "lenet5", "S4"],
  },
  {
    id: "n002-95",
    note: "002",
    line: 95,
    text: "C5 결과 : 120x1x1 특성맵, (5x5x16 +1)x120 =48120",
    claim: "LeNet-5's C5 has (5x5x16 + 1) x 120 = 48,120 parameters",
    metric: "parameters of the built C5",
    stated: 48120,
    check: ["layerParams", "lenet5", "C5"],
  },
  {
    id: "n002-97",
    note: "002",
    line: 97,
    text: "FC6 : 84개의 유닛을 가진 feedforward network. ... 훈련해야할 파라미터 개수: (120+1)x84 =10164",
    claim: "LeNet-5's F6 has (120 + 1) x 84 = 10,164 parameters",
    metric: "parameters of the built F6",
    stated: 10164,
    check: ["layerParams", "lenet5", "F6"],
  },
  {
    id: "n002-101-sum",
    note: "002",
    line: 101,
    text: "LeNet-5 를 제대로 가동하기 위해 훈련해야 할 파라미터 156+12+32+48120+10164 = 총60000",
    claim: "The sum as written: 156 + 12 + 32 + 48,120 + 10,164 = 60,000",
    metric: "the five terms as written, added (C3's 1,516 is not among them)",
    stated: 60000,
    check: ["sum", [156, 12, 32, 48120, 10164]],
  },
  {
    id: "n002-101-total",
    note: "002",
    line: 101,
    text: "LeNet-5 를 제대로 가동하기 위해 훈련해야 할 파라미터 156+12+32+48120+10164 = 총60000",
    claim: "LeNet-5 has 60,000 trainable parameters in all",
    metric: "trainable parameters of the built LeNet-5 (its RBF output is fixed)",
    stated: 60000,
    check: ["trainable", "lenet5", 1],
  },
  {
    id: "n002-111",
    note: "002",
    line: 111,
    text: "인풋 224x224x3",
    claim:
      "AlexNet's input is 224x224x3, from which its unpadded 11x11 stride-4 first layer gives the 55x55 of line 114",
    metric:
      "output side of a built 11x11 stride-4 conv with no padding on 224x224 (227 gives 55); the note repeats Krizhevsky et al. 2012's own 224 (section 3.5) faithfully",
    stated: 55,
    check: ["builtSide", 224, 11, 4, 0],
  },
  {
    id: "n002-114",
    note: "002",
    line: 114,
    text: "layer 1 결과 : 96장의 55x55 특성맵 (55x55x96)",
    claim: "AlexNet's first layer (11x11, stride 4, no zero padding) gives 55x55 maps",
    metric: "output side of the built AlexNet's conv1 (on the 227x227 input that gives the paper's 55)",
    stated: 55,
    check: ["layerSide", "alexnet_2tower", "conv1"],
  },

  {
    id: "n002-113",
    note: "002",
    line: 113,
    text: "layer 1 : 입력에 96개의 11x11x3 필터커널 사용해 컨볼루션, stride=4, zero-padding 없음",
    claim: "AlexNet's conv1 has 96 kernels of 11x11x3",
    metric: "input channels of each 11x11 kernel of the built two-tower AlexNet's conv1 (per tower)",
    stated: 3,
    check: ["kernelDepth", "alexnet_2tower", "conv1", 11],
  },
  {
    id: "n002-120",
    note: "002",
    line: 120,
    text: "layer 2 : 전단계 특성맵에 256개의 5x5x48 필터커널 사용해 컨볼루션, stride=1, zero-padding =2",
    claim: "AlexNet's conv2 has 256 kernels of 5x5x48",
    metric: "input channels of each 5x5 kernel of the built two-tower AlexNet's conv2 (per tower)",
    stated: 48,
    check: ["kernelDepth", "alexnet_2tower", "conv2", 5],
  },
  {
    id: "n002-127",
    note: "002",
    line: 127,
    text: "layer 3 : 전단계 특성맵에 384개의 3x3x256 필터커널 사용해 컨볼루션, stride=1, zero-padding =1",
    claim: "AlexNet's conv3 has 384 kernels of 3x3x256",
    metric: "input channels of each 3x3 kernel of the built two-tower AlexNet's conv3 (per tower)",
    stated: 256,
    check: ["kernelDepth", "alexnet_2tower", "conv3", 3],
  },
  {
    id: "n002-131",
    note: "002",
    line: 131,
    text: "layer 4 : 전단계 특성맵에 384개의 3x3x192 필터커널 사용해 컨볼루션, stride=1, zero-padding =1",
    claim: "AlexNet's conv4 has 384 kernels of 3x3x192",
    metric: "input channels of each 3x3 kernel of the built two-tower AlexNet's conv4 (per tower)",
    stated: 192,
    check: ["kernelDepth", "alexnet_2tower", "conv4", 3],
  },
  {
    id: "n002-135",
    note: "002",
    line: 135,
    text: "layer 5 : 전단계 특성맵에 256개의 3x3x192 필터커널 사용해 컨볼루션, stride=1, zero-padding =1",
    claim: "AlexNet's conv5 has 256 kernels of 3x3x192",
    metric: "input channels of each 3x3 kernel of the built two-tower AlexNet's conv5 (per tower)",
    stated: 192,
    check: ["kernelDepth", "alexnet_2tower", "conv5", 3],
  },
  {
    id: "n002-117",
    note: "002",
    line: 117,
    text: "layer 1 풀링 결과 : 96장의 27x27 특성맵 (27x27x96)",
    claim: "AlexNet's pool1 outputs 27x27x96",
    stated: "27x27x96",
    check: ["layerOutput", "alexnet_2tower", "pool1"],
  },
  {
    id: "n002-118",
    note: "002",
    line: 118,
    text:
      "layer 1 local response normalization: 수렴속도를 높이기 위해 실행, 특성맵 차원 변화시키지 않음(27x27x96 유지)",
    claim:
      "AlexNet's first local response normalisation comes after the first pooling (on 27x27x96) and is there to speed up convergence",
    metric:
      "where AlexNet's first normalisation sits and what it is for (the zoo's AlexNet, like torchvision's, has none to measure)",
    stated: "after pool1, on 27x27x96, for faster convergence",
    check: {
      documented:
        "after conv1's ReLU and before pool1, on 55x55x96, for generalisation (it lowers the top-1 and top-5 error rates; faster training is what ReLUs bring)",
      from: "Krizhevsky et al. 2012, sections 3.1, 3.3 and 3.5",
    },
  },

  {
    id: "n002-121",
    note: "002",
    line: 121,
    text: "layer 2 결과 : 256개의 27x27 특성맵 (27x27x256)",
    claim: "AlexNet's conv2 outputs 27x27x256",
    stated: "27x27x256",
    check: ["layerOutput", "alexnet_2tower", "conv2"],
  },
  {
    id: "n002-124",
    note: "002",
    line: 124,
    text: "layer 2 풀링 결과 : 256장의 13x13 특성맵 (13x13x256)",
    claim: "AlexNet's pool2 outputs 13x13x256",
    stated: "13x13x256",
    check: ["layerOutput", "alexnet_2tower", "pool2"],
  },
  {
    id: "n002-125",
    note: "002",
    line: 125,
    text:
      "layer 2 local response normalization : 수렴속도를 높이기 위해 실행, 특성맵 차원 변화시키지 않음(13X13X256 유지)",
    claim:
      "AlexNet's second local response normalisation comes after the second pooling (on 13x13x256) and is there to speed up convergence",
    metric: "where AlexNet's second normalisation sits and what it is for",
    stated: "after pool2, on 13x13x256, for faster convergence",
    check: {
      documented: "after conv2 and before pool2, on 27x27x256, for generalisation",
      from: "Krizhevsky et al. 2012, sections 3.3 and 3.5",
    },
  },

  {
    id: "n002-128",
    note: "002",
    line: 128,
    text: "layer 3 결과 : 384장의 13x13 특성맵 (13x13x384)",
    claim: "AlexNet's conv3 outputs 13x13x384",
    stated: "13x13x384",
    check: ["layerOutput", "alexnet_2tower", "conv3"],
  },
  {
    id: "n002-132",
    note: "002",
    line: 132,
    text: "layer 4 결과 : 384개의 13x13 특성맵 (13x13x384)",
    claim: "AlexNet's conv4 outputs 13x13x384",
    stated: "13x13x384",
    check: ["layerOutput", "alexnet_2tower", "conv4"],
  },
  {
    id: "n002-139",
    note: "002",
    line: 139,
    text: "layer 5 풀링 결과 : 256장의 6x6 특성맵 (6x6x256)",
    claim: "AlexNet's pool5 outputs 6x6x256",
    stated: "6x6x256",
    check: ["layerOutput", "alexnet_2tower", "pool5"],
  },
  {
    id: "n002-136",
    note: "002",
    line: 136,
    text: "layer 5 결과 ; 256개의 13x13 특성맵",
    claim: "AlexNet's conv5 gives 256 maps of 13x13",
    stated: "13x13x256",
    check: ["layerOutput", "alexnet_2tower", "conv5"],
  },
  {
    id: "n002-116",
    note: "002",
    line: 116,
    text: "layer 1 풀링 : 3x3 overlapping max pooling 에서 stride =2 적용",
    claim: "AlexNet's first pooling is 3x3 with stride 2, overlapping",
    metric: "output pixels one input pixel reaches through the built AlexNet's pool1 (more than 1: windows overlap)",
    stated: "at least 2",
    check: { within: ["poolFanOut", "alexnet_2tower", "pool1"], from: 2, below: Infinity },
  },
  {
    id: "n002-142",
    note: "002",
    line: 142,
    text: "layer 6 : 전단계 특성맵에 4096개의 6x6x256 필터커널 사용해 컨볼루션",
    claim: "AlexNet's sixth layer has 4096 units over 6x6x256 inputs",
    metric: "weights of the built fc6 / 4096",
    stated: 6 * 6 * 256,
    check: ["inputsPerUnit", "alexnet_2tower", "fc6"],
  },
  {
    id: "n002-143",
    note: "002",
    line: 143,
    text: "layer 6 결과 : 4096개의 1x1 특성맵 (1x1x4096)",
    claim: "AlexNet's sixth layer gives 4096 units (1x1x4096)",
    metric: "units of the built AlexNet's fc6",
    stated: 4096,
    check: ["layerUnits", "alexnet_2tower", "fc6"],
  },
  {
    id: "n002-149",
    note: "002",
    line: 149,
    text: "layer 8 : 전단계 뉴런과 연결 (1000개 뉴런으로 구성)",
    claim: "AlexNet's eighth layer has 1000 units",
    metric: "units of the built AlexNet's fc8",
    stated: 1000,
    check: ["layerUnits", "alexnet_2tower", "fc8"],
  },

  {
    id: "n002-152-lenet",
    note: "002",
    line: 152,
    text: "*LeNet-5에서 6만개 파라미터가 훈련되야 했던것에 반해 AlexNet에선 6천만개 파라미터가 훈련되어야 함.",
    claim: "LeNet-5 trains 60 thousand parameters",
    metric: "trainable parameters of the built LeNet-5, in thousands (one significant digit, as written)",
    stated: 60,
    match: { exact: { step: 10 } },
    check: ["trainable", "lenet5", 1000],
  },
  {
    id: "n002-152-alexnet",
    note: "002",
    line: 152,
    text: "*LeNet-5에서 6만개 파라미터가 훈련되야 했던것에 반해 AlexNet에선 6천만개 파라미터가 훈련되어야 함.",
    claim: "AlexNet trains 60 million parameters",
    metric: "trainable parameters of the built two-tower AlexNet, in millions (one significant digit, as written)",
    stated: 60,
    match: { exact: { step: 10 } },
    check: ["trainable", "alexnet_2tower", 1e6],
  },
  {
    id: "n002-169",
    note: "002",
    line: 169,
    text: "LesNet에선 stride 사이즈를 커널보다 작게 하는 overlapping pooling 사용함",
    claim: "LeNet uses overlapping pooling (a stride smaller than the window)",
    metric:
      "output pixels one input pixel reaches through the built LeNet-5 subsampling layer (more than 1: windows overlap)",
    stated: "at least 2",
    check: { within: ["lenetSubsampleFanOut"], from: 2, below: Infinity },
  },
  {
    id: "n002-191",
    note: "002",
    line: 191,
    text: "연산횟수 = (14x14x48)x(5x5x480) =약 112.9M",
    claim: "A 5x5 conv from 14x14x480 to 48 maps takes about 112.9M multiplications",
    metric: "multiply-adds of the built layer, in millions ('약': within 0.1M)",
    stated: 112.9,
    match: { about: { step: 0.1 } },
    check: ["convChainMadds", 14, [[480, 48, 5]], 1e6],
  },
  {
    id: "n002-190",
    note: "002",
    line: 190,
    text: "14x14x48 (48장의 14x14 특성맵) 생성",
    claim: "The 5x5 convolution to 48 maps gives 14x14x48",
    metric: "output shape of a built same-padded 5x5 conv from 480 to 48 maps on 14x14",
    stated: "14x14x48",
    check: ["convOutput", 14, 480, 48, 5],
  },

  {
    id: "n002-193",
    note: "002",
    line: 193,
    text: "14x14x480 (480장의 14x14 특성맵) 을 16개의 5x5x16 필터커널로 컨볼루션 하면, (padding =2, stride =1)",
    claim: "Sixteen 5x5x16 kernels convolve the 14x14x480 maps (the step that takes 480 maps to 16, lines 193-194)",
    metric:
      "kernel shape (height x width x input maps) of the built layer that takes 14x14x480 to 16 maps: the 1x1 reduction lines 196-197 describe",
    stated: "5x5x16",
    check: ["kernelShape", 14, 480, 16, 1],
  },
  {
    id: "n002-194",
    note: "002",
    line: 194,
    text: "14x14x16 (16장의 14x14 특성맵) 생성",
    claim: "The reduction to 16 maps gives 14x14x16",
    metric: "output shape of the built 1x1 conv from 480 to 16 maps on 14x14",
    stated: "14x14x16",
    check: ["convOutput", 14, 480, 16, 1],
  },

  {
    id: "n002-197",
    note: "002",
    line: 197,
    text: "연산횟수 = (14x14x16)x(1x1x480) + (14x14x48)x(5x5x16) =약 5.3M",
    claim: "With a 1x1 reduction to 16 maps first, the same takes about 5.3M multiplications",
    metric: "multiply-adds of the built 1x1 (480 to 16) then 5x5 (16 to 48) layers, in millions ('약': within 0.1M)",
    stated: 5.3,
    match: { about: { step: 0.1 } },
    check: ["convChainMadds", 14, [[480, 16, 1], [16, 48, 5]], 1e6],
  },
  {
    id: "n002-200",
    note: "002",
    line: 200,
    text: "9개의 inception 모듈을 포함하고 있음",
    claim: "GoogLeNet has 9 Inception modules",
    metric: "Inception modules (concatenations) in the built GoogLeNet",
    stated: 9,
    check: ["inceptionModules", "googlenet"],
  },
  {
    id: "n002-205",
    note: "002",
    line: 205,
    text:
      "이전층에서 생성된 특성맵을 1x1 convolution, 3x3 convolution, 5x5 convolution, 3x3 max pooling 모두 함께 쌓아준다.",
    claim:
      "GoogLeNet's module stacks the max-pooling's output directly with the three convolutions' (the naive module)",
    metric:
      "whether the built GoogLeNet's inception3a has a 1x1 projection after its pool (1: it has, so the pool is not stacked directly)",
    stated: 0,
    check: ["hasLayer", "googlenet", "inception3a_poolproj"],
  },

  {
    id: "n002-212",
    note: "002",
    line: 212,
    text: "FC 방식은 1024개의 7x7x1024 필터커널로 컨볼루션 한다면 필요한 가중치는 7x7x1024x1024 =51.3M 인 반면,",
    claim: "A fully connected layer from 7x7x1024 to 1024 needs 7x7x1024x1024 = 51.3M weights",
    metric: "weights of a built Dense(1024) on 50,176 inputs, no bias, in millions (no '약': exact at 0.1M)",
    stated: 51.3,
    match: { exact: { step: 0.1 } },
    check: ["denseWeights", 7 * 7 * 1024, 1024, 1e6],
  },
  {
    id: "n002-212-gap",
    note: "002",
    line: 212,
    text: "GAP 방식은 1024개의 7x7x1 필터커널로 사용하면 필요한 가중치는 없다.",
    claim: "Global average pooling over 7x7x1024 needs no weights",
    metric: "parameters of a built GlobalAveragePooling2D",
    stated: 0,
    check: ["gapParams", 7, 1024],
  },
  {
    id: "n003-27",
    note: "003",
    line: 27,
    text: "        → 행렬 크기가 같아야 concatenation이 가능하기에 **channel Size 조절이 핵심**",
    claim: "Branches can be concatenated only if their channel counts are equal",
    metric:
      "different channel counts among the four branches the built GoogLeNet's inception3a concatenates (64, 128, 32, 32)",
    stated: 1,
    check: ["distinctChannels", "googlenet", [
      "inception3a_1x1",
      "inception3a_3x3",
      "inception3a_5x5",
      "inception3a_poolproj",
    ]],
  },
  {
    id: "n003-48",
    note: "003",
    line: 48,
    text: "⇒ total params = (96X128X3X3) + (96X192X1X1) = 129,024개",
    claim: "1x1 (192 to 96) then 3x3 (96 to 128) has 129,024 weights",
    metric: "kernel weights of the built pair (no biases)",
    stated: 129024,
    check: ["convChainWeights", [[192, 96, 1], [96, 128, 3]]],
  },
  {
    id: "n003-58",
    note: "003",
    line: 58,
    text: "⇒ total params = 128X192X3X3 = 221,184개",
    claim: "A 3x3 conv from 192 to 128 channels has 221,184 weights",
    metric: "kernel weights of the built layer (no biases)",
    stated: 221184,
    check: ["convChainWeights", [[192, 128, 3]]],
  },
  {
    id: "n003-62",
    note: "003",
    line: 62,
    text: "⇒ result: **약 2배 차이 (1.71배)**",
    claim: "The 3x3 conv has 1.71 times the weights of the 1x1 + 3x3 pair",
    metric: "221,184 / 129,024 from the built layers (two decimals, as written)",
    stated: 1.71,
    match: { exact: { step: 0.01 } },
    check: ["convChainRatio", [[192, 128, 3]], [[192, 96, 1], [96, 128, 3]]],
  },
  {
    id: "n003-62-about",
    note: "003",
    line: 62,
    text: "⇒ result: **약 2배 차이 (1.71배)**",
    claim: "The 3x3 conv has about 2 times the weights of the 1x1 + 3x3 pair",
    metric: "the same ratio ('약': within 1)",
    stated: 2,
    match: { about: { step: 1 } },
    check: ["convChainRatio", [[192, 128, 3]], [[192, 96, 1], [96, 128, 3]]],
  },
  {
    id: "n003-86",
    note: "003",
    line: 86,
    text: "⇒ Input_shape=(224, 224) → 7X7 Conv를 통과 → size는 절반(표 참고)이 되어야 하므로 padding=2로 결정",
    claim: "GoogLeNet's 7x7 stride-2 conv needs padding 2 to halve 224 to 112",
    metric: "the symmetric zero padding with which a built 7x7 stride-2 conv maps 224 to 112 (padding 2 gives 111)",
    stated: 2,
    check: ["paddingFor", 224, 7, 2, 112],
  },

  {
    id: "n003-10",
    note: "003",
    line: 10,
    text: "- VGGNet보다 더 적은 parameter수로 1등 달성",
    claim: "GoogLeNet has fewer parameters than VGGNet",
    metric: "trainable parameters of the built GoogLeNet (no auxiliary heads) and VGG-16",
    stated: "GoogLeNet < VGG-16",
    check: { less: [["trainable", "googlenet", 1], ["trainable", "vgg16", 1]], names: ["GoogLeNet", "VGG-16"] },
  },
  {
    id: "n003-135",
    note: "003",
    line: 135,
    text: "- feature map size = 7X7X1024로 flatten하면 수천만 개의 파라미터가 생긴다.",
    claim: "Flattening 7x7x1024 into a 1000-way linear layer takes tens of millions of parameters",
    metric: "weights of a built Dense(1000) on 50,176 inputs (line 138: linear 1x1x1000)",
    stated: "between 10 and 100 million ('수천만')",
    check: { within: ["denseWeights", 7 * 7 * 1024, 1000, 1], from: 1e7, below: 1e8 },
  },
  {
    id: "n003-115",
    note: "003",
    line: 115,
    text: "- 6개 모델은 구조부터 초기 웨이트까지 같고 data보는 순서만 다르게",
    claim:
      "GoogLeNet's ensemble models are identical down to their initial weights and differ only in the order they see the data",
    metric: "how the independently trained GoogLeNet models differ",
    stated: "only in data order",
    check: {
      documented:
        "in sampling methodologies and the random order in which they see input images (same initialisation and learning rate policy)",
      from: "Szegedy et al. 2015, section 7",
    },
  },

  {
    id: "n004-25",
    note: "004",
    line: 25,
    text: "Total # parameters = 5*3 + 3*2 = 21",
    claim: "A 5-3-2 fully connected net has 5x3 + 3x2 = 21 parameters",
    metric:
      "parameters of two built Dense layers, 5 to 3 to 2, with the biases the note's own tensor list (line 20) includes",
    stated: 21,
    check: ["denseChainParams", [[5, 3], [3, 2]]],
  },
  {
    id: "n004-25-weights",
    note: "004",
    line: 25,
    text: "Total # parameters = 5*3 + 3*2 = 21",
    claim: "(what the arithmetic counts) 5x3 + 3x2 = 21 weights",
    metric: "weights of two built Dense layers without biases",
    stated: 21,
    check: ["denseChainWeights", [[5, 3], [3, 2]]],
  },

  {
    id: "n004-108",
    note: "004",
    line: 108,
    text: "* 더 깊게 쌓으려는 첫 시도 (16 layers, 19 layers)",
    claim: "VGG-16 has 16 weight layers",
    metric: "conv and dense layers of the built VGG-16",
    stated: 16,
    check: ["weightLayers", "vgg16"],
  },
  {
    id: "n004-119-7x7",
    note: "004",
    line: 119,
    text: "* 7x7 필터 1개면 49개의 매개변수, 그러나 3x3 을 3 층으로 쌓으면 27개 로 더 간단.",
    claim: "One 7x7 filter has 49 parameters",
    metric: "weights of a built 7x7 conv, one channel",
    stated: 49,
    check: ["stackWeights", [[7, 7]]],
  },
  {
    id: "n004-119-3x3",
    note: "004",
    line: 119,
    text: "* 7x7 필터 1개면 49개의 매개변수, 그러나 3x3 을 3 층으로 쌓으면 27개 로 더 간단.",
    claim: "Three stacked 3x3 filters have 27 parameters",
    metric: "weights of three built 3x3 convs, one channel",
    stated: 27,
    check: ["stackWeights", [[3, 3], [3, 3], [3, 3]]],
  },
  {
    id: "n004-126",
    note: "004",
    line: 126,
    text: "	* 기존의 network in network 라는 논문 (Min, 2013) 의 발전 형태",
    claim: "Network in Network is by Min (2013)",
    metric: "the first author of Network in Network",
    stated: "Min, 2013",
    check: {
      documented: "Lin et al., 2013 (Min Lin, Qiang Chen, Shuicheng Yan; Min is Lin's given name)",
      from: "arXiv:1312.4400",
    },
  },
  {
    id: "n004-136",
    note: "004",
    line: 136,
    text: "	* CNN은 feature를 추출하는거고 사실 classification 에 필요한 non-linearity 는",
    claim: "(with line 137) The non-linearity a classification needs comes from the fully connected layers",
    metric: "where a CNN's non-linearity comes from",
    stated: "the fully connected layers",
    check: {
      documented:
        "the activation after every layer (NIN classifies with no fully connected layer at all; GoogLeNet's one FC layer is linear)",
      from: "Lin et al. 2013, section 3; Szegedy et al. 2015, table 1",
    },
  },
  {
    id: "n004-157",
    note: "004",
    line: 157,
    text: "	* 그래서 마지막에 fc (mlp) 레이어 다는 것 대신 두가지를 제안함 ",
    claim: "NIN's micro network (CCCP) replaces the fully connected layers at the end",
    metric: "where NIN's 1x1 (cccp) layers sit",
    stated: "at the end, instead of the fc layers",
    check: {
      documented:
        "inside every conv stage (the built NIN has two cccp layers after each of its four convs); only global average pooling replaces the final fc layers",
      from: "Lin et al. 2013, sections 3.1-3.2 and figure 2",
    },
  },

  {
    id: "n004-182",
    note: "004",
    line: 182,
    text: "* 입력 이미지의 해상도가 224x224에서 299x299로 증가",
    claim: "Inception-v3 takes 299x299 images",
    metric: "input side of the built Inception-v3 (its first conv, 3x3 stride 2 valid, gives 149)",
    stated: 299,
    check: ["inputSide", "inception_v3", "conv1"],
  },
  {
    id: "n004-188-depth",
    note: "004",
    line: 188,
    text: "	* 22-layer에서 42-layer로 깊어지고, 연산량이 2.5배 증가",
    claim: "Inception-v3 is 42 layers deep (as Szegedy et al. 2016 write it)",
    metric: "layers with parameters along the longest path, counted as GoogLeNet's 22",
    stated: 42,
    check: {
      notChecked:
        "the note repeats Szegedy et al. 2016 (section 6: '42 layers deep') faithfully; the zoo builds Keras's final Inception-v3, not the section-6 network, and no counting we know of gives 42 on it",
      measured: { check: ["zooDepth", "inception_v3"], what: "our build by GoogLeNet's counting" },
    },
  },

  {
    id: "n004-188",
    note: "004",
    line: 188,
    text: "	* 22-layer에서 42-layer로 깊어지고, 연산량이 2.5배 증가",
    claim: "Inception-v3 takes about 2.5 times GoogLeNet's computation (as Szegedy et al. 2016 write it)",
    metric: "multiply-adds per image of the network, over GoogLeNet's",
    stated: 2.5,
    check: {
      notChecked:
        "the note repeats Szegedy et al. 2016 (section 6: 'about 2.5' times GoogLeNet's computation) faithfully; the zoo builds Keras's final Inception-v3, not the section-6 network, so our ratio does not decide it",
      measured: {
        check: ["maddsRatio", "inception_v3", "googlenet"],
        what: "Keras's Inception-v3 over GoogLeNet, built",
      },
    },
  },

  {
    id: "n004-194",
    note: "004",
    line: 194,
    text: "	* 3x3을 여러 번 쓰면 5x5 한 번 쓰는 것과 수학적으로 동일하되",
    claim: "(with line 195) Several 3x3 convolutions are mathematically identical to one 5x5, with less computation",
    metric: "dimension of the 5x5 kernels two built linear 3x3 convs can compose (one channel; a free 5x5 spans 25)",
    stated: 25,
    check: ["composedKernelDim", [[3, 3], [3, 3]]],
  },
  {
    id: "n004-201",
    note: "004",
    line: 201,
    text: "	* 수학적으로 3x3 쓰는 것과 동일하고  ",
    claim: "A 1x3 then a 3x1 convolution is mathematically identical to a 3x3",
    metric:
      "dimension of the 3x3 kernels a built linear 1x3 then 3x1 compose (one channel; a free 3x3 spans 9; they give rank-1 kernels only)",
    stated: 9,
    check: ["composedKernelDim", [[1, 3], [3, 1]]],
  },
  {
    id: "n004-202",
    note: "004",
    line: 202,
    text: "* 연산량도 3x3 =9 -> 3+3=6 으로 절감.",
    claim: "Factorising 3x3 into 1x3 and 3x1 takes the weights from 9 to 6",
    metric: "weights of a built 1x3 then 3x1 pair, one channel",
    stated: 6,
    check: ["stackWeights", [[1, 3], [3, 1]]],
  },
  {
    id: "n004-208",
    note: "004",
    line: 208,
    text: "## ResNet and DensNet (2017) (참고)",
    claim: "ResNet dates from 2017",
    metric: "the year of ResNet's paper",
    stated: "2017",
    check: { documented: "2015 (arXiv:1512.03385, December 2015; CVPR 2016)", from: "He et al. 2016" },
  },
  {
    id: "n004-218",
    note: "004",
    line: 218,
    text: "	- 앞에서 차원을 확 늘렸다가 뒤에서 차원을 줄이는 일종의 병목을 만듦.",
    claim: "ResNet's bottleneck first widens the channels, then narrows them",
    metric:
      "channels into the built ResNet-50's layer2_1 block and out of its first 1x1 conv (widening: the second larger)",
    stated: "first 1x1 widens",
    check: {
      less: [["layerUnits", "resnet50", "layer2_0_out"], ["layerUnits", "resnet50", "layer2_1_conv1"]],
      names: ["channels into the block", "channels out of its first 1x1"],
    },
  },
  {
    id: "n004-229",
    note: "004",
    line: 229,
    text: "* hidden smoother convex function 을 얻을 수 있음.",
    claim: "(with line 231) Shortcuts give a residual net a convex loss function",
    metric: "the shape of a deep residual net's loss",
    stated: "convex",
    check: {
      documented: "non-convex; shortcuts make the landscape smoother, not convex",
      from: "Li et al. 2018 (visualising the loss landscape), section 5; He et al. 2016 claim no convexity",
    },
  },
  {
    id: "n004-235",
    note: "004",
    line: 235,
    text: "* Depthwise separable convolution 아이디어 제시",
    claim: "(and line 241) MobileNet proposed the depthwise separable convolution",
    metric: "who introduced depthwise separable convolutions",
    stated: "MobileNet",
    check: {
      documented:
        "Sifre (2014), and Chollet's Xception used them before MobileNet; MobileNet built a whole net of them and says so",
      from: "Howard et al. 2017, sections 2 and 3.1",
    },
  },
];

/** The notes' statements as ledger claims (the model-zoo experiment judges them). */
export const notesClaims: Claim[] = NOTE_LINES.map(noteClaim);
