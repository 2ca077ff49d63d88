// Float16 models on the CPU: ONNX Runtime's CPU provider has no float16 kernels for most of the
// operators of PaddleOCR's graphs (it inserts casts around them, or refuses the graph), so a model
// shipped with float16 weights runs slowly or not at all. WidenFloat16 rewrites such a model to
// float32 before its session is created: every float16 initializer and constant becomes the
// float32 tensor of the same values (exact: every float16 value is a float32 value), every float16
// type (graph inputs, outputs, value_info) becomes float32, and casts to float16 become casts to
// float32. The graph then computes what the official float32 model computes with these weights,
// in float32 throughout.
#pragma once
#include <cstdint>
#include <string>

namespace ocr {

struct WidenCounts {
  int tensors = 0;  // float16 initializers and constant tensors widened
  int types = 0;    // float16 value types (inputs, outputs, value_info) and casts rewritten
  int total() const { return tensors + types; }
};

// Returns the float32 model; a model with nothing in float16 comes back unchanged (counts zero).
// Throws std::runtime_error for bytes that are not an ONNX model, or float16 data stored outside
// the file (external data).
std::string WidenFloat16(const std::string& model, WidenCounts* counts = nullptr);

// IEEE 754 half (binary16) bits to float, exactly (subnormals, infinities and NaN included).
float HalfToFloat(uint16_t h);

}  // namespace ocr
