// JS class Engine: a handle on a shared ocr::Pipeline plus per-engine default options.
#pragma once
#include <memory>

#include <napi.h>

#include "ocr/pipeline.h"

namespace binding {

class EngineWrap : public Napi::ObjectWrap<EngineWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit EngineWrap(const Napi::CallbackInfo& info);

  // Called by CreateEngineWorker::OnOK to fill a fresh instance.
  void Attach(std::shared_ptr<ocr::Pipeline> pipeline, const ocr::PipelineOptions& defaults);

 private:
  // recognize(image: { data, width, height, channels, stride }, options?) → Promise<Result>.
  // Async: runs on the libuv pool. Rejects with Error on inference failure; never throws
  // synchronously for a valid (TypeScript-validated) call.
  Napi::Value Recognize(const Napi::CallbackInfo& info);
  // hasClassifier(): boolean, sync.
  Napi::Value HasClassifier(const Napi::CallbackInfo& info);
  // graphRewrites(): { det, rec, cls? } counts of the load-time graph rewrites, sync.
  Napi::Value GraphRewrites(const Napi::CallbackInfo& info);
  // schedulerStats(): { batches: { [size]: count }, mixed } or null without cross-page batching.
  Napi::Value SchedulerStats(const Napi::CallbackInfo& info);

  std::shared_ptr<ocr::Pipeline> pipeline_;
  ocr::PipelineOptions defaults_;
};

// createEngine(config, defaults) → Promise<Engine>. Async: model loading runs off the event loop.
// Rejects with Error naming the missing/corrupt file or the missing provider library.
Napi::Value CreateEngine(const Napi::CallbackInfo& info);

}  // namespace binding
