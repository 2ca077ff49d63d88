#include "ocr/onnx_widen.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "ocr/onnx_proto.h"

namespace ocr {
namespace {

using pb::Field;

constexpr int kFloat16 = 10;
// onnx.proto fields the widening walks besides those in onnx_proto.h.
enum : uint32_t {
  kGraphInput = 11, kGraphValueInfo = 13,
  kAttrTensors = 10,
  kTensorInt32Data = 5,
  kTypeSequence = 4, kTypeMap = 5, kTypeSparseTensor = 8, kTypeOptional = 9,
  kSequenceElem = 1, kMapValue = 2, kOptionalElem = 1, kTensorTypeShape = 2,
};

struct Walker {
  WidenCounts counts;

  static void Copy(std::string& out, const std::string& s, const Field& f) { out.append(s, f.begin, f.end - f.begin); }

  // TypeProto: float16 element types of tensors (also inside sequences, maps, optionals).
  std::string Type(const std::string& s) {
    std::string out;
    for (const Field& f : pb::Fields(s)) {
      const std::string p = f.wire == 2 ? pb::Payload(s, f) : std::string();
      if (f.wire == 2 && (f.number == pb::kTypeTensor || f.number == kTypeSparseTensor)) {
        std::string t;
        for (const Field& g : pb::Fields(p)) {
          if (g.number == pb::kTensorElemType && g.wire == 0 && g.value == kFloat16) {
            pb::Int(t, pb::kTensorElemType, pb::kFloat);
            ++counts.types;
          } else {
            Copy(t, p, g);
          }
        }
        pb::Bytes(out, f.number, t);
      } else if (f.wire == 2 && (f.number == kTypeSequence || f.number == kTypeOptional)) {
        pb::Bytes(out, f.number, Nested(p, kSequenceElem));
      } else if (f.wire == 2 && f.number == kTypeMap) {
        pb::Bytes(out, f.number, Nested(p, kMapValue));
      } else {
        Copy(out, s, f);
      }
    }
    return out;
  }
  // A message whose field `number` is a TypeProto.
  std::string Nested(const std::string& s, uint32_t number) {
    std::string out;
    for (const Field& f : pb::Fields(s)) {
      if (f.number == number && f.wire == 2) pb::Bytes(out, number, Type(pb::Payload(s, f)));
      else Copy(out, s, f);
    }
    return out;
  }
  std::string ValueInfo(const std::string& s) { return Nested(s, pb::kValueType); }

  // TensorProto: float16 raw_data or int32_data (one value per int32) to float32 raw_data.
  std::string Tensor(const std::string& s) {
    const std::vector<Field> fields = pb::Fields(s);
    bool half = false;
    for (const Field& f : fields) {
      if (f.number == pb::kTensorDataType && f.wire == 0 && f.value == kFloat16) half = true;
    }
    if (!half) return s;
    std::string out, raw;
    bool rawSeen = false;
    for (const Field& f : fields) {
      if (f.number == pb::kTensorDataLocation && f.wire == 0 && f.value != 0) {
        throw std::runtime_error("float16 tensor with external data");
      }
      if (f.number == pb::kTensorDataType && f.wire == 0) {
        pb::Int(out, pb::kTensorDataType, pb::kFloat);
      } else if (f.number == pb::kTensorRawData && f.wire == 2) {
        const size_t n = (f.dataEnd - f.dataBegin) / 2;
        if ((f.dataEnd - f.dataBegin) % 2) throw std::runtime_error("float16 raw_data of odd length");
        raw.resize(n * 4);
        for (size_t i = 0; i < n; ++i) {
          const auto* b = reinterpret_cast<const unsigned char*>(s.data() + f.dataBegin + 2 * i);
          const float v = HalfToFloat(static_cast<uint16_t>(b[0] | (b[1] << 8)));  // little-endian
          std::memcpy(&raw[4 * i], &v, 4);
        }
        rawSeen = true;
      } else if (f.number == kTensorInt32Data) {
        std::vector<int64_t> bits;
        pb::AppendVarints(s, f, bits);
        for (int64_t h : bits) {
          const float v = HalfToFloat(static_cast<uint16_t>(h));
          raw.append(reinterpret_cast<const char*>(&v), 4);
        }
        rawSeen = true;
      } else {
        Copy(out, s, f);
      }
    }
    if (rawSeen) pb::Bytes(out, pb::kTensorRawData, raw);
    ++counts.tensors;
    return out;
  }

  // AttributeProto: tensors and subgraphs inside, and a Cast's (or any op's dtype) target float16.
  std::string Attribute(const std::string& s) {
    std::string name;
    for (const Field& f : pb::Fields(s)) {
      if (f.number == pb::kAttrName && f.wire == 2) name = pb::Payload(s, f);
    }
    std::string out;
    for (const Field& f : pb::Fields(s)) {
      if (f.number == pb::kAttrI && f.wire == 0 && f.value == kFloat16 && (name == "to" || name == "dtype")) {
        pb::Int(out, pb::kAttrI, pb::kFloat);
        ++counts.types;
      } else if (f.wire == 2 && (f.number == pb::kAttrT || f.number == kAttrTensors)) {
        pb::Bytes(out, f.number, Tensor(pb::Payload(s, f)));
      } else if (f.wire == 2 && (f.number == pb::kAttrG || f.number == pb::kAttrGraphs)) {
        pb::Bytes(out, f.number, Graph(pb::Payload(s, f)));
      } else {
        Copy(out, s, f);
      }
    }
    return out;
  }

  std::string Node(const std::string& s) {
    std::string out;
    for (const Field& f : pb::Fields(s)) {
      if (f.number == pb::kNodeAttribute && f.wire == 2) pb::Bytes(out, f.number, Attribute(pb::Payload(s, f)));
      else Copy(out, s, f);
    }
    return out;
  }

  std::string Graph(const std::string& s) {
    std::string out;
    for (const Field& f : pb::Fields(s)) {
      if (f.wire != 2) {
        Copy(out, s, f);
        continue;
      }
      const std::string p = pb::Payload(s, f);
      switch (f.number) {
        case pb::kGraphNode: pb::Bytes(out, f.number, Node(p)); break;
        case pb::kGraphInitializer: pb::Bytes(out, f.number, Tensor(p)); break;
        case kGraphInput:
        case pb::kGraphOutput:
        case kGraphValueInfo: pb::Bytes(out, f.number, ValueInfo(p)); break;
        default: Copy(out, s, f);
      }
    }
    return out;
  }
};

}  // namespace

float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1F;
  uint32_t mant = h & 0x3FF;
  uint32_t bits;
  if (exp == 0x1F) {
    bits = sign | 0x7F800000u | (mant << 13);  // infinity or NaN (payload kept)
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);  // 112 = 127 - 15
  } else if (mant == 0) {
    bits = sign;  // signed zero
  } else {
    // Subnormal half: normalize into a float32 normal.
    exp = 113;  // 127 - 15 + 1
    while (!(mant & 0x400)) {
      mant <<= 1;
      --exp;
    }
    bits = sign | (exp << 23) | ((mant & 0x3FF) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

std::string WidenFloat16(const std::string& model, WidenCounts* counts) {
  Walker w;
  std::string out;
  bool graph = false;
  for (const Field& f : pb::Fields(model)) {
    if (f.number == pb::kModelGraph && f.wire == 2) {
      pb::Bytes(out, f.number, w.Graph(pb::Payload(model, f)));
      graph = true;
    } else {
      out.append(model, f.begin, f.end - f.begin);
    }
  }
  if (!graph) throw std::runtime_error("not an ONNX model (no graph)");
  if (counts) *counts = w.counts;
  return w.counts.total() ? out : model;
}

}  // namespace ocr
