// Protobuf wire format, as much as the ONNX graph rewrites need (no ONNX or protobuf library).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace ocr::pb {

// One field of a message: a key (number << 3 | wire type) then a varint, 8 or 4 bytes, or a
// length-prefixed run.
struct Field {
  uint32_t number = 0;
  uint32_t wire = 0;
  uint64_t value = 0;                 // a varint's value, or the raw bits of a fixed32/fixed64
  size_t begin = 0, end = 0;          // the whole field, key included
  size_t dataBegin = 0, dataEnd = 0;  // the payload of a length-delimited field
};

// The fields of s[begin, end). Throws std::runtime_error on a malformed message.
std::vector<Field> Fields(const std::string& s, size_t begin, size_t end);
inline std::vector<Field> Fields(const std::string& s) { return Fields(s, 0, s.size()); }

uint64_t ReadVarint(const std::string& s, size_t& pos);
// A repeated varint field's values, packed (wire 2) or not (wire 0).
void AppendVarints(const std::string& s, const Field& f, std::vector<int64_t>& out);

void Varint(std::string& out, uint64_t v);
void Bytes(std::string& out, uint32_t field, const std::string& data);
void Int(std::string& out, uint32_t field, uint64_t v);
void Float(std::string& out, uint32_t field, float v);
void PackedInts(std::string& out, uint32_t field, const std::vector<int64_t>& v);

// onnx.proto field numbers used by the rewrites.
enum : uint32_t {
  kModelGraph = 7,
  kGraphNode = 1, kGraphInitializer = 5, kGraphOutput = 12,
  kNodeInput = 1, kNodeOutput = 2, kNodeName = 3, kNodeOpType = 4, kNodeAttribute = 5, kNodeDomain = 7,
  kAttrName = 1, kAttrF = 2, kAttrI = 3, kAttrS = 4, kAttrT = 5, kAttrG = 6, kAttrInts = 8, kAttrGraphs = 11,
  kAttrType = 20,
  kTensorDims = 1, kTensorDataType = 2, kTensorFloatData = 4, kTensorName = 8, kTensorRawData = 9,
  kTensorDataLocation = 14,
  kValueName = 1, kValueType = 2, kTypeTensor = 1, kTensorElemType = 1,
};
// AttributeProto.type and TensorProto.data_type values.
constexpr int kAttrTypeFloat = 1, kAttrTypeInt = 2, kAttrTypeInts = 7, kFloat = 1, kInt64 = 7;

// AttributeProto payloads: a named float, int, or list of ints.
std::string FloatAttr(const char* name, float v);
std::string IntAttr(const char* name, int64_t v);
std::string IntsAttr(const char* name, const std::vector<int64_t>& v);

inline std::string Payload(const std::string& s, const Field& f) { return s.substr(f.dataBegin, f.dataEnd - f.dataBegin); }
inline std::string Whole(const std::string& s, const Field& f) { return s.substr(f.begin, f.end - f.begin); }

}  // namespace ocr::pb
