/**
 * Note 001, audited line by line: every statement of fact it makes that the
 * suite checks ({@link NOTE_001_LINES}, quoted as written, with its check),
 * and how every other line is covered ({@link NOTE_001_COVERAGE}: blank,
 * heading or image, checked by a training claim, or left with the reason).
 * @module
 */
import type { NoteCoverage, NoteLine } from "./note_line.ts";

/** Note 001's checked statements, in line order. */
export const NOTE_001_LINES: NoteLine[] = [
  {
    id: "n001-4",
    note: "001",
    line: 4,
    text: "* larger receptive fields",
    claim: "Deeper nets have larger receptive fields",
    metric: "receptive fields of one and three built stride-1 3x3 convs",
    stated: "1 layer < 3 layers",
    check: {
      less: [["receptiveField", [3]], ["receptiveField", [3, 3, 3]]],
      names: ["one 3x3 layer's field", "three's"],
    },
  },
  {
    id: "n001-5-capacity",
    note: "001",
    line: 5,
    text: "* more capacity and non-linearity",
    claim: "Deeper nets have more capacity",
    metric: "trainable parameters of the built CIFAR ResNet-20 and ResNet-56 (same stage widths; 9 and 27 blocks)",
    stated: "ResNet-20 < ResNet-56",
    check: {
      less: [["trainable", "cifar_resnet20", 1], ["trainable", "cifar_resnet56", 1]],
      names: ["ResNet-20's trainable parameters", "ResNet-56's"],
    },
  },
  {
    id: "n001-5-nonlinearity",
    note: "001",
    line: 5,
    text: "* more capacity and non-linearity",
    claim: "Deeper nets have more non-linearity",
    metric: "ReLU layers of the built CIFAR ResNet-20 and ResNet-56",
    stated: "ResNet-20 < ResNet-56",
    check: {
      less: [["layersOfType", "cifar_resnet20", "DeeperReLU"], ["layersOfType", "cifar_resnet56", "DeeperReLU"]],
      names: ["ResNet-20's ReLU layers", "ResNet-56's"],
    },
  },
  {
    id: "n001-9",
    note: "001",
    line: 9,
    text: "#### Computationally complex",
    claim: "Deeper nets take more computation",
    metric: "multiply-adds per image of the built CIFAR ResNet-20 and ResNet-56",
    stated: "ResNet-20 < ResNet-56",
    check: {
      less: [["madds", "cifar_resnet20", 1], ["madds", "cifar_resnet56", 1]],
      names: ["ResNet-20's multiply-adds", "ResNet-56's"],
    },
  },
  {
    id: "n001-18",
    note: "001",
    line: 18,
    text: "하나의 layer에서 다양한 크기의 convolution filter 사용",
    claim: "The Inception module uses convolution filters of several sizes in one layer",
    metric:
      "different kernel sides the parallel branches of the built GoogLeNet's Inception 3a reach (each branch by its largest conv; the branches its concatenation joins)",
    stated: "2 or more",
    check: { within: ["branchKernelSides", "googlenet", "inception3a_concat"], from: 2, below: Infinity },
  },
  {
    id: "n001-19",
    note: "001",
    line: 19,
    text: "=> 수평 확장",
    claim: "The Inception module widens the net sideways (branches side by side)",
    metric: "parallel branches the built GoogLeNet's Inception 3a concatenates",
    stated: "more than 1",
    check: { within: ["inboundCount", "googlenet", "inception3a_concat"], from: 2, below: Infinity },
  },
  {
    id: "n001-22-madds",
    note: "001",
    line: 22,
    text: "=> 계산 복잡도와 용량 커짐 => 1x1 convolution 적용함으로써 해결",
    claim: "The multi-size module's computation grows large, and 1x1 convolutions solve it",
    metric:
      "multiply-adds per image of the built GoogLeNet's Inception 3a (1x1 reductions before its 3x3 and 5x5, a 1x1 after its pool; the zoo's table) against the naive module of Szegedy et al. 2015's figure 2a with 3a's 64, 128 and 32 filters, built on the same 28x28x192 input. The author's '(bottleneck layer?)': the paper calls these 1x1 layers reductions (section 4); 'bottleneck' is He et al. 2016's name for its 1x1-3x3-1x1 block",
    stated: "with 1x1 reductions < naive",
    check: {
      less: [
        ["prefixCost", "googlenet", "inception3a_", "madds"],
        ["naiveInceptionCost", 28, 192, [64, 128, 32], "madds"],
      ],
      names: ["Inception 3a's multiply-adds", "the naive module's"],
    },
  },
  {
    id: "n001-22-params",
    note: "001",
    line: 22,
    text: "=> 계산 복잡도와 용량 커짐 => 1x1 convolution 적용함으로써 해결",
    claim: "The multi-size module's size grows large, and 1x1 convolutions solve it",
    metric: "parameters of the same two modules (the built GoogLeNet's Inception 3a; the naive module of figure 2a)",
    stated: "with 1x1 reductions < naive",
    check: {
      less: [
        ["prefixCost", "googlenet", "inception3a_", "params"],
        ["naiveInceptionCost", 28, 192, [64, 128, 32], "params"],
      ],
      names: ["Inception 3a's parameters", "the naive module's"],
    },
  },
  {
    id: "n001-26-side",
    note: "001",
    line: 26,
    text: "공간 크기는 변하지 않고",
    claim: "A 1x1 convolution keeps the spatial size",
    metric: "output side over input side of the built GoogLeNet's 1x1 reduction inception3a_3x3r",
    stated: 1,
    check: ["sideOverInput", "googlenet", "inception3a_3x3r"],
  },
  {
    id: "n001-26-pixel",
    note: "001",
    line: 26,
    text: "각 픽셀 독립적으로",
    claim: "A 1x1 convolution treats each pixel independently",
    metric:
      "output positions one input pixel reaches through inception3a_3x3r's conv rebuilt from its config (a 3x3 conv reaches 9)",
    stated: 1,
    check: ["convPixelFanOut", "googlenet", "inception3a_3x3r"],
  },
  {
    id: "n001-26-channels",
    note: "001",
    line: 26,
    text: "채널 수만 변경",
    claim: "A 1x1 convolution changes the channel count",
    metric:
      "different channel counts of the built GoogLeNet's pool2 (the input of the 1x1 reduction inception3a_3x3r, both 28x28) and inception3a_3x3r",
    stated: 2,
    check: ["distinctChannels", "googlenet", ["pool2", "inception3a_3x3r"]],
  },
  {
    id: "n001-31",
    note: "001",
    line: 31,
    text: "최종 출력은 한 개의 fc layer",
    claim: "GoogLeNet ends in a single fully connected layer",
    metric: "fully connected (Dense) layers of the built GoogLeNet",
    stated: 1,
    check: ["layersOfType", "googlenet", "Dense"],
  },
  {
    id: "n001-36",
    note: "001",
    line: 36,
    text: ": 중간중간 에 softmax를 두어 중간에서도 Backpropagation을 하게 함",
    claim: "GoogLeNet puts softmax classifiers midway so that backpropagation also starts from the middle",
    metric: "where GoogLeNet's auxiliary classifiers sit and what they add to training",
    stated:
      "auxiliary classifiers connected to intermediate layers; during training their loss gets added to the total loss",
    check: {
      documented:
        "auxiliary classifiers connected to intermediate layers; during training their loss gets added to the total loss",
      from:
        "Szegedy et al. 2015, section 5 ('By adding auxiliary classifiers connected to these intermediate layers ... During training, their loss gets added to the total loss of the network with a discount weight'; on Inception 4a and 4d, weight 0.3)",
    },
  },
  {
    id: "n001-37",
    note: "001",
    line: 37,
    text: ": 학습에서만 사용하고, 테스트 때에는 사용하지 않음",
    claim: "The auxiliary classifiers are used only in training, not at test time",
    metric: "what GoogLeNet does with its auxiliary classifiers at inference",
    stated: "at inference time, these auxiliary networks are discarded",
    check: {
      documented: "at inference time, these auxiliary networks are discarded",
      from: "Szegedy et al. 2015, section 5 ('At inference time, these auxiliary networks are discarded.')",
    },
  },
  {
    id: "n001-44-overfitting",
    note: "001",
    line: 44,
    text: "깊이가 깊을수록 overfitting이 일어난다? No !",
    claim: "The deeper net's worse result is not overfitting",
    metric: "what He et al. say about the deeper plain net's higher error",
    stated: "not caused by overfitting",
    check: {
      documented: "not caused by overfitting",
      from:
        "He et al. 2016, section 1 ('such degradation is not caused by overfitting, and adding more layers to a suitably deep model leads to higher training error'); measured here by depth-1a",
    },
  },
  {
    id: "n001-44",
    note: "001",
    line: 44,
    text: "56 layer의 학습 최적화가 안 된 것이다. -> vanishing gradient 문제",
    claim: "The 56-layer plain net fails to optimise because of vanishing gradients",
    metric: "what He et al. say causes the degradation of their 56-layer plain net (trained with batch norm)",
    stated: "vanishing gradients",
    fix:
      "-> the degradation problem: an optimisation difficulty that He et al. find 'unlikely to be caused by vanishing gradients' (their plain nets use batch norm and keep healthy gradient norms)",
    check: {
      documented:
        "an optimisation difficulty 'unlikely to be caused by vanishing gradients' (the plain nets with BN show healthy backward gradient norms)",
      from: "He et al. 2016, section 4.1; measured here by depth-6",
    },
  },
  {
    id: "n001-44-degradation",
    note: "001",
    line: 44,
    text: "56 layer의 학습 최적화가 안 된 것이다. -> vanishing gradient 문제",
    claim:
      "The 56-layer net's failure to optimise (the degradation problem of line 10) is the vanishing gradient problem (line 8)",
    metric: "whether the degradation problem and the vanishing gradient problem are one problem",
    stated: "one problem: the degradation is the vanishing gradient problem",
    fix:
      "-> the degradation problem (line 10), not the vanishing gradient problem (line 8): normalised initialisation and batch norm largely solve vanishing gradients, and the degradation shows in deep nets that do converge",
    check: {
      documented:
        "two problems: the note itself lists 'Gradient vanishing / exploding' (line 8) and the 'Degradatio nproblem' (line 10, as written) apart; He et al. say vanishing/exploding gradients 'has been largely addressed by normalized initialization and intermediate normalization layers', and that when deeper networks do converge 'a degradation problem has been exposed'",
      from: "note 001, lines 8 and 10; He et al. 2016, section 1",
    },
  },
  {
    id: "n001-47",
    note: "001",
    line: 47,
    text: "* vanishing gradient 문제 해결책 : Shortcut connection",
    claim: "The shortcut connection is the fix for the vanishing gradient problem",
    metric: "what the shortcut connection fixes, by source",
    stated: "vanishing gradients",
    check: {
      notChecked:
        "two readings, by source: He et al. 2016 (the ResNet paper the note retells; sections 1, 3.1 and 4.1) bring in shortcuts against the degradation problem and call vanishing gradients 'largely addressed' by normalisation, so by that paper the fix is for degradation (see n001-44); He et al. 2016b (identity mappings, section 2, after equation 5) show that through identity shortcuts the gradient of a layer 'does not vanish even when the weights are arbitrarily small', so by that paper the line holds. depth-5b measures the gradient's fall with and without shortcuts",
    },
  },
  {
    id: "n001-48",
    note: "001",
    line: 48,
    text: "몇 개의 layer를 건너 뛰어 연결해 non-linearities를 추가하는 skip connections",
    claim: "Skip connections add non-linearities",
    metric:
      "ReLU layers the built residual-20 has beyond the built plain-20 (0: the shortcuts add none; an identity shortcut is a sum with no activation, He et al. 2016 section 1: 'Identity shortcut connections add neither extra parameter nor computational complexity'). The line as written makes the skip connections add the non-linearities; read as 'skip connections that jump over layers which add non-linearities' (the non-linearities sit in the skipped layers and after the sum), it would be right",
    stated: "at least 1",
    fix:
      "skip connections that jump over a few layers (the skipped layers hold the non-linearities; the identity shortcut itself is a plain sum that adds no non-linearity, parameter or computation)",
    check: { within: ["reluLayersAddedByShortcuts", 20], from: 1, below: Infinity },
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
    id: "n001-54-resnet18",
    note: "001",
    line: 54,
    text: ": 2의 n승으로 layer를 거칠 수 있는 모든 경우의 수를 거침으로써",
    claim: "A residual net with n blocks has 2^n paths through it",
    metric:
      "input-to-output paths in the built ResNet-18's layer graph (n = 8 blocks, so 2^8 = 256; a projection block also has two ways through). Veit et al. 2016, section 3",
    stated: 256,
    check: ["zooPaths", "resnet18"],
  },
  {
    id: "n001-54-mapping",
    note: "001",
    line: 54,
    text: "모든 경우의 수를 거침으로써 복잡한 매핑을 학습할 수 있음",
    claim: "Going through all 2^n paths is what lets a residual net learn complex mappings",
    metric: "which paths carry a trained residual net's learning",
    stated: "all 2^n paths",
    check: {
      notChecked:
        "a statement about training: Veit et al. 2016 (sections 4-5) find a residual net behaves like an ensemble of relatively shallow paths and that the gradient comes mostly from short paths, not from all 2^n; depth-7 tests the ensemble reading by deleting blocks",
    },
  },
  {
    id: "n001-60-side",
    note: "001",
    line: 60,
    text: "공간축은 두 배씩 작아진다.",
    claim: "In ResNet the spatial size halves from stage to stage",
    metric:
      "each stage's output side over the next stage's, in the built ResNet-34 (the 34-layer net of He et al.'s figure 3): layer1_2_out, layer2_3_out, layer3_5_out, layer4_2_out",
    stated: "2x2x2",
    check: ["sideRatios", "resnet34", ["layer1_2_out", "layer2_3_out", "layer3_5_out", "layer4_2_out"]],
  },
  {
    id: "n001-60-channels",
    note: "001",
    line: 60,
    text: "채널은 높아지는 동시에",
    claim: "In ResNet the channels grow from stage to stage, as the spatial size halves",
    metric: "steps between the same four stage outputs of the built ResNet-34 where the channels do not grow",
    stated: 0,
    check: [
      "stepsWithoutMoreChannels",
      "resnet34",
      ["layer1_2_out", "layer2_3_out", "layer3_5_out", "layer4_2_out"],
    ],
  },
  {
    id: "n001-63",
    note: "001",
    line: 63,
    text: ": 모든 이전 layer들의 gradient 값을 앞으로 전달",
    claim: "DenseNet passes the gradients of all earlier layers forward",
    metric: "what each DenseNet layer receives from the layers before it",
    stated: "gradients",
    fix:
      "passes the feature maps of all earlier layers forward, concatenated as each layer's input (the gradients flow backward, from the loss straight to every layer)",
    check: {
      documented:
        "the feature-maps of all preceding layers, concatenated, as input (gradients flow backward: each layer 'has direct access to the gradients from the loss function')",
      from:
        "Huang et al. 2017, section 3, equation 2 ('the ℓth layer receives the feature-maps of all preceding layers'); section 1 for the gradients",
    },
  },
  {
    id: "n001-64",
    note: "001",
    line: 64,
    text: ": 더하기가 아닌 concatenate(기존 layer의 값을 그대로 보존)",
    claim: "DenseNet concatenates instead of adding",
    metric: "addition layers of the built DenseNet-121 (its dense connections are Concatenate layers)",
    stated: 0,
    check: ["layersOfType", "densenet121", "Add"],
  },
  {
    id: "n001-64-kept",
    note: "001",
    line: 64,
    text: "(기존 layer의 값을 그대로 보존)",
    claim: "Concatenation keeps the earlier layers' values as they are",
    metric:
      "largest difference between the first channels of the built DenseNet-121's dense1_l6_concat and its first input (the block so far), on a random image",
    stated: 0,
    check: ["concatKeepsInput", "densenet121", "dense1_l6_concat"],
  },
  {
    id: "n001-67",
    note: "001",
    line: 67,
    text: ": 채널 간의 관계를 모델링",
    claim: "SENet models the relationships between channels",
    metric: "what the SE block models",
    stated: "interdependencies between channels",
    check: {
      documented: "interdependencies between channels",
      from:
        "Hu et al. 2018, abstract ('adaptively recalibrates channel-wise feature responses by explicitly modelling interdependencies between channels')",
    },
  },
  {
    id: "n001-68",
    note: "001",
    line: 68,
    text: "attention 생성하는 방법(뉴에이팅?, gating?)",
    claim: "SENet makes its attention by gating (the author's guess)",
    metric:
      "excitation values (the per-channel multipliers, layer1_0_se_expand) of the built SE-ResNet-50 outside (0, 1), on two random images (0: sigmoid gates; Hu et al. 2018 section 3.2, 'a simple gating mechanism with a sigmoid activation')",
    stated: 0,
    check: ["valuesOutsideUnit", "se_resnet50", "layer1_0_se_expand"],
  },
  {
    id: "n001-70",
    note: "001",
    line: 70,
    text: "2) Excitation :",
    claim: "(with line 69) Excitation comes second, after the squeeze",
    metric:
      "1 when the built SE-ResNet-50's squeeze (global average pooling, layer1_0_se_squeeze) lies on the path into its excitation (layer1_0_se_expand)",
    stated: 1,
    check: ["precedes", "se_resnet50", "layer1_0_se_squeeze", "layer1_0_se_expand"],
  },
  {
    id: "n001-71",
    note: "001",
    line: 71,
    text: "scaling을 통해 중요한 것은 강조, 중요하지 않은 것은 값을 줄임",
    claim: "The SE rescaling emphasises the important channels and shrinks the unimportant ones",
    metric: "what the SE block's rescaling does, in Hu et al.'s words",
    stated: "selectively emphasise informative features and suppress less useful ones",
    check: {
      documented: "selectively emphasise informative features and suppress less useful ones",
      from: "Hu et al. 2018, section 1",
    },
  },
  {
    id: "n001-71-gate",
    note: "001",
    line: 71,
    text: "중요한 것은 강조, 중요하지 않은 것은 값을 줄임",
    claim: "The SE rescaling emphasises the important channels and shrinks the unimportant ones",
    metric:
      "excitation values of the built SE-ResNet-50 (layer1_0_se_expand) outside (0, 1), on two random images. Two readings: 'emphasise' relative to the other channels (Hu et al.'s: every channel is multiplied by a sigmoid gate below 1, the important ones less shrunk) needs 0; 'emphasise' as scaling a channel up needs a value of 1 or more",
    stated: "0 (relative emphasis, the paper's reading)",
    check: { within: ["valuesOutsideUnit", "se_resnet50", "layer1_0_se_expand"], from: 0, below: 1 },
  },
  {
    id: "n001-75",
    note: "001",
    line: 75,
    text: ": deeper, wider, high resolution networks(인풋 resolution?을 크게 넣어줌)  => compound scaling",
    claim: "EfficientNet makes nets deeper, wider and higher in resolution together: compound scaling",
    metric: "how EfficientNet scales a net",
    stated: "a compound coefficient that uniformly scales network width, depth, and resolution",
    check: {
      documented: "a compound coefficient that uniformly scales network width, depth, and resolution",
      from:
        "Tan and Le 2019, section 3.3 ('a new compound scaling method, which use a compound coefficient φ to uniformly scales network width, depth, and resolution')",
    },
  },
  {
    id: "n001-77",
    note: "001",
    line: 77,
    text: "적은 FLOPS?에서도 좋은 성능",
    claim: "EfficientNet performs well even with few FLOPS",
    metric:
      "the built EfficientNet-B0's rank by ImageNet top-1 (the zoo's cited figures) per multiply-add among every zoo net with a top-1 figure",
    stated: 1,
    check: [
      "top1PerCostRank",
      "efficientnet_b0",
      [
        "alexnet_2tower",
        "vgg16",
        "googlenet",
        "inception_v3",
        "resnet18",
        "resnet34",
        "resnet50",
        "densenet121",
        "se_resnet50",
        "mobilenet_v1",
      ],
      "madds",
    ],
  },
  {
    id: "n001-84",
    note: "001",
    line: 84,
    text: ": offset field에 따라 feature map을 irregular하게 넓혀줌",
    claim: "A deformable convolution's offset field widens the feature map",
    metric:
      "output side of a built deformable 3x3 convolution (lib/models/deformable_conv.ts) on a 9x9 map, against 9. The offsets move where the kernel samples (Dai et al. 2017 section 2.1: the regular sampling grid 'is augmented with offsets'; 'The output offset fields have the same spatial resolution with the input feature map'): the sampling grid, i.e. the receptive field, deforms and the output map keeps its size. Read as 'widens the area the kernel samples on the feature map', the line would be right",
    stated: "wider than its input",
    fix:
      "the offset field shifts where the kernel samples, spreading its sampling grid irregularly over the feature map (a deformed receptive field); the output map keeps its size (9x9 in, 9x9 out)",
    check: { less: [["sum", [9]], ["deformOutputSide", 9, 3]], names: ["input side", "output side"] },
  },
  {
    id: "n001-91",
    note: "001",
    line: 91,
    text: "원의 크기 : memory size",
    claim: "In the summary chart a circle's size is the model's memory size",
    metric: "what the chart's circle size shows",
    stated: "memory size",
    check: {
      notChecked:
        "the chart is an image the note's text does not carry. If it is Canziani et al. 2016's figure 2 ('Top1 vs. operations, size ∝ parameters'), a circle's size is the parameter count: 'memory size' holds for the weights' memory, not for the memory an inference uses (activations included, which they measure apart from the parameters)",
      measured: {
        check: ["trainable", "googlenet", 1e6],
        what: "the built GoogLeNet's trainable parameters (millions)",
      },
    },
  },
  {
    id: "n001-94-params",
    note: "001",
    line: 94,
    text: "* GoogleNet is the most efficient CNN model out of AlexNet, VGG, REsNet",
    claim: "GoogLeNet is the most efficient of AlexNet, VGG and ResNet (efficiency read as accuracy per parameter)",
    metric:
      "GoogLeNet's rank by ImageNet top-1 per trainable parameter among the built AlexNet (two towers; its top-1 is ILSVRC-2010's), VGG-16 and ResNet-18, -34 and -50 (top-1: the zoo's cited figures). This is the reading of Canziani et al. 2016 (figure 10, accuracy per parameter), where GoogLeNet is among the winners",
    stated: 1,
    check: [
      "top1PerCostRank",
      "googlenet",
      ["alexnet_2tower", "vgg16", "resnet18", "resnet34", "resnet50"],
      "trainable",
    ],
  },
  {
    id: "n001-94-madds",
    note: "001",
    line: 94,
    text: "* GoogleNet is the most efficient CNN model out of AlexNet, VGG, REsNet",
    claim: "GoogLeNet is the most efficient of AlexNet, VGG and ResNet (efficiency read as accuracy per operation)",
    metric:
      "GoogLeNet's rank by ImageNet top-1 per multiply-add among the same nets (the chart's x axis is operations); a rank above 1 means another net gives more top-1 per multiply-add. The line names no measure: under the per-parameter reading (n001-94-params) it holds",
    stated: 1,
    fix:
      "GoogLeNet has the fewest parameters (7.0M) and the best accuracy per parameter of AlexNet, VGG and ResNet; per operation AlexNet is ahead (86 against 44 top-1 points per billion multiply-adds)",
    check: [
      "top1PerCostRank",
      "googlenet",
      ["alexnet_2tower", "vgg16", "resnet18", "resnet34", "resnet50"],
      "madds",
    ],
  },
  {
    id: "n001-94-ops",
    note: "001",
    line: 94,
    text: "* GoogleNet is the most efficient CNN model out of AlexNet, VGG, REsNet",
    claim: "GoogLeNet is the most efficient of AlexNet, VGG and ResNet (efficiency read as the least computation)",
    metric:
      "multiply-adds per image of the built GoogLeNet and the built two-tower AlexNet (the cheapest of the others)",
    stated: "GoogLeNet < AlexNet",
    fix:
      "GoogLeNet is the most efficient in parameters (7.0M, the fewest); it is not the cheapest in computation: AlexNet takes 0.72 billion multiply-adds per image, GoogLeNet 1.58 billion",
    check: {
      less: [["madds", "googlenet", 1], ["madds", "alexnet_2tower", 1]],
      names: ["GoogLeNet's multiply-adds", "AlexNet's"],
    },
  },
];

/** How note 001's lines are covered. */
export const NOTE_001_COVERAGE: NoteCoverage = {
  lines: 101,
  blank: [
    2,
    6,
    11,
    12,
    13,
    15,
    20,
    23,
    28,
    33,
    34,
    39,
    40,
    43,
    46,
    50,
    51,
    52,
    56,
    57,
    61,
    65,
    72,
    73,
    79,
    80,
    81,
    85,
    87,
    88,
    89,
    93,
    97,
    99,
    100,
    101,
  ],
  heading: [1, 7, 14, 16, 17, 24, 29, 35, 41, 53, 58, 62, 66, 74, 82, 90],
  image: [21, 27, 32, 38, 45, 49, 55, 59, 78, 86, 92],
  checkedBy: [
    { line: 8, ids: ["depth-5a", "depth-6"] },
    { line: 10, ids: ["depth-1a", "depth-1b"] },
    { line: 30, ids: ["bnaux-1", "depth-3a", "depth-3b"] },
    { line: 44, ids: ["depth-1a", "depth-6"] },
    { line: 47, ids: ["depth-5b"] },
    { line: 48, ids: ["depth-5b"] },
    { line: 77, ids: ["zoo-count-efficientnet_b0"] },
  ],
  left: [
    {
      line: 3,
      left: "training",
      why:
        "deeper nets perform better: ImageNet accuracy outside our experiments; depth-2b (residual-56 < residual-20, converged, not-run at quick) is the nearest",
    },
    {
      line: 25,
      left: "no-fact",
      why:
        "'ex) 필터 두 개': a fragment introducing the figure's example (two 1x1 filters); line 26 states what it shows",
    },
    {
      line: 42,
      left: "training",
      why:
        "depth strongly affects performance (He et al. 2016, section 1): a statement about ImageNet accuracy outside our experiments",
    },
    {
      line: 69,
      left: "no-fact",
      why:
        "'1) squeeze :' names the first step and leaves its description empty; the order squeeze then excitation is checked by n001-70",
    },
    {
      line: 76,
      left: "training",
      why:
        "'(saturation? 포화)': accuracy saturating as one dimension is scaled up (Tan and Le 2019, section 3.2, observation 1) is about ImageNet training; the zoo builds B0 only",
    },
    {
      line: 83,
      left: "no-fact",
      why: "': irregular convolution': a name for what line 84 describes (sampling at offset, irregular positions)",
    },
    { line: 95, left: "opinion", why: "'but, 구현 힘듦' (hard to implement): a judgement of effort" },
    { line: 96, left: "opinion", why: "which backbones are commonly used: a statement of practice, not of the nets" },
    {
      line: 98,
      left: "opinion",
      why: "CNNs extract feature maps and are applied to various target tasks: a summary of use",
    },
  ],
};
