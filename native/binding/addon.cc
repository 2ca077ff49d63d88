// Module entry: the export list, nothing else.
#include <napi.h>

#include "binding/engine_wrap.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Engine", binding::EngineWrap::Define(env));
  exports.Set("createEngine", Napi::Function::New(env, binding::CreateEngine, "createEngine"));
  return exports;
}

}  // namespace

NODE_API_MODULE(ocr_native, Init)
