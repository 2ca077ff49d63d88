// Exact rewrites of PaddleOCR's exported graphs that let ONNX Runtime's CPU kernels keep a whole
// convolution block in its blocked (NCHWc) layout: fewer element-wise passes over the activations,
// no layout reorders around each convolution.
//
// PP-OCRv4's PPLCNetV3 blocks are exported as Conv, Mul(scale), Add(bias), hard-swish written out
// as Add(3) Clip(0, 6) Mul Div(6), then another Mul(scale) Add(bias). ONNX Runtime fuses none of
// that, and the scalar Mul/Add force a reorder out of and back into NCHWc before the next Conv.
// Measured on this project's 2-core machine, one thread: recognizer at width 1200 0.70x the time,
// detector at 960x640 0.74x (scripts/bench-graph.mjs).
//
// PP-OCRv6's graphs (PPLCNetV4) need none of those, but its float16 recognizer, once widened
// (onnx_widen.h), writes GELU with √2 rounded to float16, which ONNX Runtime then does not fuse: each
// GELU becomes five element-wise passes and a layout reorder out of NCHWc and back. Restoring √2:
// recognizer 0.82x the time on 8 lines 640 wide.
#pragma once
#include <string>

namespace ocr {

struct FuseCounts {
  int convAffine = 0;      // Conv -> Mul(a) [-> Add(b)] folded into the Conv's weights and bias
  int hardSwish = 0;       // x * Clip(x + 3, 0, 6) / 6 -> x * HardSigmoid(x)
  int affineInto1x1 = 0;   // Mul(a) -> Add(b) -> 1x1 Conv folded into that Conv
  int affineDepthwise = 0; // Mul(a) -> Add(b) before a Conv -> one depthwise 1x1 Conv
  int geluSqrt2 = 0;       // GELU's Div by a float16-rounded √2 set back to √2, so ONNX Runtime fuses it
  int total() const { return convAffine + hardSwish + affineInto1x1 + affineDepthwise + geluSqrt2; }
};

// Returns the model with the rewrites above applied wherever their exact conditions hold (scalar
// constants, single consumers, known channel counts); everything else is left as it was. Each
// rewrite computes the same function up to float rounding. Throws std::runtime_error for bytes that
// are not an ONNX model, or a graph with subgraphs (left alone).
std::string FuseActivations(const std::string& model, FuseCounts* counts = nullptr);

}  // namespace ocr
