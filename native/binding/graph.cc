#include "binding/graph.h"

#include <exception>
#include <string>

namespace binding {

Napi::Object FromFuseCounts(Napi::Env env, const ocr::FuseCounts& c) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("convAffine", c.convAffine);
  o.Set("hardSwish", c.hardSwish);
  o.Set("affineInto1x1", c.affineInto1x1);
  o.Set("affineDepthwise", c.affineDepthwise);
  o.Set("geluSqrt2", c.geluSqrt2);
  return o;
}

Napi::Value FuseModel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) {
    Napi::TypeError::New(env, "fuseModel expects a Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const auto arr = info[0].As<Napi::Uint8Array>();
  const std::string bytes(reinterpret_cast<const char*>(arr.Data()), arr.ByteLength());
  std::string out;
  ocr::FuseCounts counts;
  try {
    out = ocr::FuseActivations(bytes, &counts);
  } catch (const std::exception& e) {
    Napi::Error::New(env, std::string("fuseModel: ") + e.what()).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object r = Napi::Object::New(env);
  r.Set("model", Napi::Buffer<char>::Copy(env, out.data(), out.size()));
  r.Set("counts", FromFuseCounts(env, counts));
  return r;
}

Napi::Value WidenModel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) {
    Napi::TypeError::New(env, "widenModel expects a Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const auto arr = info[0].As<Napi::Uint8Array>();
  const std::string bytes(reinterpret_cast<const char*>(arr.Data()), arr.ByteLength());
  std::string out;
  ocr::WidenCounts counts;
  try {
    out = ocr::WidenFloat16(bytes, &counts);
  } catch (const std::exception& e) {
    Napi::Error::New(env, std::string("widenModel: ") + e.what()).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object c = Napi::Object::New(env);
  c.Set("tensors", counts.tensors);
  c.Set("types", counts.types);
  Napi::Object r = Napi::Object::New(env);
  r.Set("model", Napi::Buffer<char>::Copy(env, out.data(), out.size()));
  r.Set("counts", c);
  return r;
}

}  // namespace binding
