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

namespace {

Napi::Object FromWidenCounts(Napi::Env env, const ocr::WidenCounts& c) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("tensors", c.tensors);
  o.Set("types", c.types);
  return o;
}

// name(bytes: Uint8Array) → { model: Buffer, counts }: one rewrite of a model's bytes. A bad
// argument is a TypeError, bytes the rewrite refuses an Error naming the function.
template <typename Counts, typename Rewrite, typename ToJs>
Napi::Value RewriteModel(const Napi::CallbackInfo& info, const char* name, Rewrite rewrite, ToJs toJs) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) {
    Napi::TypeError::New(env, std::string(name) + " expects a Uint8Array").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const auto arr = info[0].As<Napi::Uint8Array>();
  const std::string bytes(reinterpret_cast<const char*>(arr.Data()), arr.ByteLength());
  std::string out;
  Counts counts;
  try {
    out = rewrite(bytes, &counts);
  } catch (const std::exception& e) {
    Napi::Error::New(env, std::string(name) + ": " + e.what()).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object r = Napi::Object::New(env);
  r.Set("model", Napi::Buffer<char>::Copy(env, out.data(), out.size()));
  r.Set("counts", toJs(env, counts));
  return r;
}

}  // namespace

Napi::Value FuseModel(const Napi::CallbackInfo& info) {
  return RewriteModel<ocr::FuseCounts>(info, "fuseModel", ocr::FuseActivations, FromFuseCounts);
}

Napi::Value WidenModel(const Napi::CallbackInfo& info) {
  return RewriteModel<ocr::WidenCounts>(info, "widenModel", ocr::WidenFloat16, FromWidenCounts);
}

}  // namespace binding
