// Module entry: the export list, nothing else.
#include <napi.h>

#include <cstdio>
#include <cstdlib>

#include "binding/engine_wrap.h"
#include "binding/graph.h"

namespace {

// exitNow(code): ends the process at once. process.exit() joins every worker thread, and a worker
// thread ends only when its running native call returns (a page can take seconds): at the end of
// SHUTDOWN_GRACE the server must not wait for work it has already failed and reported.
Napi::Value ExitNow(const Napi::CallbackInfo& info) {
  int code = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 0;
  std::fflush(nullptr);
  std::_Exit(code);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Engine", binding::EngineWrap::Define(env));
  exports.Set("createEngine", Napi::Function::New(env, binding::CreateEngine, "createEngine"));
  exports.Set("fuseModel", Napi::Function::New(env, binding::FuseModel, "fuseModel"));
  exports.Set("widenModel", Napi::Function::New(env, binding::WidenModel, "widenModel"));
  exports.Set("exitNow", Napi::Function::New(env, ExitNow, "exitNow"));
  return exports;
}

}  // namespace

NODE_API_MODULE(ocr_native, Init)
