#include "ocr/onnx_proto.h"

#include <cstring>
#include <stdexcept>

namespace ocr::pb {

uint64_t ReadVarint(const std::string& s, size_t& pos) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= s.size()) throw std::runtime_error("truncated varint");
    const auto b = static_cast<unsigned char>(s[pos++]);
    v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if (!(b & 0x80)) return v;
  }
  throw std::runtime_error("varint too long");
}

namespace {
uint64_t ReadFixed(const std::string& s, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int b = 0; b < bytes; ++b) v |= static_cast<uint64_t>(static_cast<unsigned char>(s[pos + b])) << (8 * b);
  return v;
}
}  // namespace

std::vector<Field> Fields(const std::string& s, size_t begin, size_t end) {
  if (end > s.size() || begin > end) throw std::runtime_error("protobuf range outside the buffer");
  std::vector<Field> out;
  size_t pos = begin;
  while (pos < end) {
    Field f;
    f.begin = pos;
    const uint64_t key = ReadVarint(s, pos);
    f.number = static_cast<uint32_t>(key >> 3);
    f.wire = static_cast<uint32_t>(key & 7);
    switch (f.wire) {
      case 0: f.value = ReadVarint(s, pos); break;
      case 1:
        if (pos + 8 > end) throw std::runtime_error("truncated protobuf field");
        f.value = ReadFixed(s, pos, 8);
        pos += 8;
        break;
      case 5:
        if (pos + 4 > end) throw std::runtime_error("truncated protobuf field");
        f.value = ReadFixed(s, pos, 4);
        pos += 4;
        break;
      case 2: {
        const uint64_t n = ReadVarint(s, pos);
        if (n > end - pos) throw std::runtime_error("truncated protobuf field");
        f.dataBegin = pos;
        pos += n;
        f.dataEnd = pos;
        break;
      }
      default: throw std::runtime_error("unsupported protobuf wire type");
    }
    if (pos > end) throw std::runtime_error("truncated protobuf field");
    f.end = pos;
    out.push_back(f);
  }
  return out;
}

void AppendVarints(const std::string& s, const Field& f, std::vector<int64_t>& out) {
  if (f.wire == 0) {
    out.push_back(static_cast<int64_t>(f.value));
    return;
  }
  if (f.wire != 2) throw std::runtime_error("unexpected wire type for a repeated integer");
  size_t pos = f.dataBegin;
  while (pos < f.dataEnd) out.push_back(static_cast<int64_t>(ReadVarint(s, pos)));
}

void Varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}
void Bytes(std::string& out, uint32_t field, const std::string& data) {
  Varint(out, (static_cast<uint64_t>(field) << 3) | 2);
  Varint(out, data.size());
  out += data;
}
void Int(std::string& out, uint32_t field, uint64_t v) {
  Varint(out, static_cast<uint64_t>(field) << 3);
  Varint(out, v);
}
void Float(std::string& out, uint32_t field, float v) {
  Varint(out, (static_cast<uint64_t>(field) << 3) | 5);
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  for (int b = 0; b < 4; ++b) out += static_cast<char>((bits >> (8 * b)) & 0xFF);
}
void PackedInts(std::string& out, uint32_t field, const std::vector<int64_t>& v) {
  std::string packed;
  for (int64_t x : v) Varint(packed, static_cast<uint64_t>(x));
  Bytes(out, field, packed);
}

std::string FloatAttr(const char* name, float v) {
  std::string a;
  Bytes(a, kAttrName, name);
  Float(a, kAttrF, v);
  Int(a, kAttrType, kAttrTypeFloat);
  return a;
}
std::string IntAttr(const char* name, int64_t v) {
  std::string a;
  Bytes(a, kAttrName, name);
  Int(a, kAttrI, static_cast<uint64_t>(v));
  Int(a, kAttrType, kAttrTypeInt);
  return a;
}
std::string IntsAttr(const char* name, const std::vector<int64_t>& v) {
  std::string a;
  Bytes(a, kAttrName, name);
  PackedInts(a, kAttrInts, v);
  Int(a, kAttrType, kAttrTypeInts);
  return a;
}

}  // namespace ocr::pb
