#include "ocr/onnx_edit.h"

#include <stdexcept>
#include <vector>

#include "ocr/onnx_proto.h"

namespace ocr {
namespace {

using namespace pb;

std::string Node(const char* op, const std::vector<std::string>& in, const char* out, const std::vector<std::string>& attrs) {
  std::string n;
  for (const auto& i : in) Bytes(n, kNodeInput, i);
  Bytes(n, kNodeOutput, out);
  Bytes(n, kNodeName, std::string("ocr_") + op);
  Bytes(n, kNodeOpType, op);
  for (const auto& a : attrs) Bytes(n, kNodeAttribute, a);
  return n;
}
std::string Output(const char* name, int elemType) {
  std::string tensor, type, v;
  Int(tensor, kTensorElemType, elemType);
  Bytes(type, kTypeTensor, tensor);
  Bytes(v, kValueName, name);
  Bytes(v, kValueType, type);
  return v;
}

}  // namespace

std::string AugmentRecognizer(const std::string& model, int64_t spaceClass) {
  const std::vector<Field> top = Fields(model, 0, model.size());
  std::string out;
  bool done = false;
  for (const Field& f : top) {
    if (f.number != kModelGraph || f.wire != 2 || done) {
      out.append(model, f.begin, f.end - f.begin);
      continue;
    }
    std::string graph, probs;
    int outputs = 0;
    for (const Field& g : Fields(model, f.dataBegin, f.dataEnd)) {
      if (g.number == kGraphOutput && g.wire == 2) {
        ++outputs;
        for (const Field& v : Fields(model, g.dataBegin, g.dataEnd))
          if (v.number == kValueName && v.wire == 2) probs = model.substr(v.dataBegin, v.dataEnd - v.dataBegin);
        continue;
      }
      graph.append(model, g.begin, g.end - g.begin);
    }
    if (outputs != 1 || probs.empty()) throw std::runtime_error("the recognition graph does not have exactly one output");
    std::string index;
    Int(index, kTensorDims, 1);
    Int(index, kTensorDataType, kInt64);
    Bytes(index, kTensorName, "ocr_space_class");
    std::string raw(8, '\0');
    for (int b = 0; b < 8; ++b) raw[b] = static_cast<char>((static_cast<uint64_t>(spaceClass) >> (8 * b)) & 0xFF);
    Bytes(index, kTensorRawData, raw);
    Bytes(graph, kGraphInitializer, index);
    Bytes(graph, kGraphNode, Node("ArgMax", {probs}, kRecBestClass, {IntAttr("axis", 2), IntAttr("keepdims", 0)}));
    Bytes(graph, kGraphNode, Node("ReduceMax", {probs}, kRecBestProb, {IntsAttr("axes", {2}), IntAttr("keepdims", 0)}));
    Bytes(graph, kGraphNode, Node("Gather", {probs, "ocr_space_class"}, kRecSpaceProb, {IntAttr("axis", 2)}));
    Bytes(graph, kGraphNode, Node("Shape", {probs}, kRecShape, {}));
    Bytes(graph, kGraphOutput, Output(kRecBestClass, kInt64));
    Bytes(graph, kGraphOutput, Output(kRecBestProb, kFloat));
    Bytes(graph, kGraphOutput, Output(kRecSpaceProb, kFloat));
    Bytes(graph, kGraphOutput, Output(kRecShape, kInt64));
    Bytes(out, kModelGraph, graph);
    done = true;
  }
  if (!done) throw std::runtime_error("not an ONNX model: no graph");
  return out;
}

}  // namespace ocr
