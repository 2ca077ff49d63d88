#include "binding/engine_wrap.h"

#include <exception>

#include "binding/convert.h"
#include "binding/graph.h"

namespace binding {
namespace {

struct InstanceData {
  Napi::FunctionReference engineCtor;
};

// Completion callbacks run on the JS thread, which may be a worker thread being terminated
// (Piscina shrinking or destroying its pool while a page is in flight). Creating JS values then
// throws; nobody is left to receive the result, so the exception must stop here instead of
// reaching std::terminate and killing the whole process.
template <typename F>
void Settle(F&& settle) {
  try {
    settle();
  } catch (const Napi::Error&) {
  } catch (const std::exception&) {
  }
}

class CreateEngineWorker : public Napi::AsyncWorker {
 public:
  CreateEngineWorker(Napi::Env env, ocr::EngineConfig config, ocr::PipelineOptions defaults)
      : Napi::AsyncWorker(env, "ocr:createEngine"), deferred_(Napi::Promise::Deferred::New(env)),
        config_(std::move(config)), defaults_(defaults) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      pipeline_ = ocr::Pipeline::Get(config_);
    } catch (const std::exception& e) {
      SetError(e.what());
    } catch (...) {
      SetError("unknown native error while creating the engine");
    }
  }
  void OnOK() override {
    Settle([&] {
      Napi::Env env = Env();
      Napi::Object obj = env.GetInstanceData<InstanceData>()->engineCtor.New({});
      EngineWrap::Unwrap(obj)->Attach(pipeline_, defaults_);
      deferred_.Resolve(obj);
    });
  }
  void OnError(const Napi::Error& e) override {
    Settle([&] { deferred_.Reject(e.Value()); });
  }

 private:
  Napi::Promise::Deferred deferred_;
  ocr::EngineConfig config_;
  ocr::PipelineOptions defaults_;
  std::shared_ptr<ocr::Pipeline> pipeline_;
};

class RecognizeWorker : public Napi::AsyncWorker {
 public:
  RecognizeWorker(Napi::Env env, std::shared_ptr<ocr::Pipeline> pipeline, ocr::ImageView view,
                  ocr::PipelineOptions opt, Napi::Object keepAlive)
      : Napi::AsyncWorker(env, "ocr:recognize"), deferred_(Napi::Promise::Deferred::New(env)),
        pipeline_(std::move(pipeline)), view_(view), opt_(opt) {
    keepAlive_ = Napi::Persistent(keepAlive);  // the pixels stay alive while Execute reads them
  }
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      result_ = pipeline_->Run(view_, opt_);
    } catch (const std::exception& e) {
      SetError(e.what());
    } catch (...) {
      SetError("unknown native error during recognition");
    }
  }
  void OnOK() override {
    Settle([&] { deferred_.Resolve(FromResult(Env(), result_)); });
  }
  void OnError(const Napi::Error& e) override {
    Settle([&] { deferred_.Reject(e.Value()); });
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<ocr::Pipeline> pipeline_;
  ocr::ImageView view_;
  ocr::PipelineOptions opt_;
  Napi::ObjectReference keepAlive_;
  ocr::Result result_;
};

}  // namespace

Napi::Function EngineWrap::Define(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, "Engine",
                                    {InstanceMethod<&EngineWrap::Recognize>("recognize"),
                                     InstanceMethod<&EngineWrap::HasClassifier>("hasClassifier"),
                                     InstanceMethod<&EngineWrap::GraphRewrites>("graphRewrites"),
                                     InstanceMethod<&EngineWrap::SchedulerStats>("schedulerStats")});
  auto* data = new InstanceData{Napi::Persistent(ctor)};
  env.SetInstanceData<InstanceData>(data);
  return ctor;
}

EngineWrap::EngineWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineWrap>(info) {}

void EngineWrap::Attach(std::shared_ptr<ocr::Pipeline> pipeline, const ocr::PipelineOptions& defaults) {
  pipeline_ = std::move(pipeline);
  defaults_ = defaults;
}

Napi::Value EngineWrap::HasClassifier(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), pipeline_ && pipeline_->HasClassifier());
}

Napi::Value EngineWrap::GraphRewrites(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  if (!pipeline_) return out;
  for (const auto& [model, r] : pipeline_->GraphRewrites()) {
    Napi::Object o = FromFuseCounts(env, r.fused);
    o.Set("widened", r.widened.tensors);
    if (model == "rec") o.Set("reduced", r.reduced);
    out.Set(model, o);
  }
  return out;
}

Napi::Value EngineWrap::SchedulerStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const ocr::RecScheduler* s = pipeline_ ? pipeline_->Scheduler() : nullptr;
  if (!s) return env.Null();
  Napi::Object out = Napi::Object::New(env);
  Napi::Object hist = Napi::Object::New(env);
  for (const auto& [size, count] : s->Histogram()) hist.Set(std::to_string(size), static_cast<double>(count));
  out.Set("batches", hist);
  out.Set("mixed", static_cast<double>(s->MixedBatches()));
  return out;
}

Napi::Value EngineWrap::Recognize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto deferred = Napi::Promise::Deferred::New(env);
  if (!pipeline_ || info.Length() < 1 || !info[0].IsObject()) {
    deferred.Reject(Napi::TypeError::New(env, "recognize expects an image object on a created engine").Value());
    return deferred.Promise();
  }
  Napi::Object img = info[0].As<Napi::Object>();
  Napi::Value data = img.Get("data");
  if (!data.IsTypedArray()) {
    deferred.Reject(Napi::TypeError::New(env, "Expected Uint8Array for image.data").Value());
    return deferred.Promise();
  }
  Napi::Uint8Array bytes = data.As<Napi::Uint8Array>();
  ocr::ImageView view;
  view.data = bytes.Data();
  view.width = img.Get("width").As<Napi::Number>().Int32Value();
  view.height = img.Get("height").As<Napi::Number>().Int32Value();
  view.channels = img.Get("channels").As<Napi::Number>().Int32Value();
  view.stride = img.Get("stride").As<Napi::Number>().Int32Value();
  // Last line of defence; TypeScript has already said which parameter was wrong.
  const size_t needed = static_cast<size_t>(view.stride) * (view.height - 1) + static_cast<size_t>(view.width) * view.channels;
  if (view.width <= 0 || view.height <= 0 || (view.channels != 1 && view.channels != 3 && view.channels != 4) ||
      view.stride < view.width * view.channels || bytes.ByteLength() < needed) {
    deferred.Reject(Napi::RangeError::New(env, "image buffer does not match width, height, channels and stride").Value());
    return deferred.Promise();
  }
  ocr::PipelineOptions opt = ToPipelineOptions(info.Length() > 1 ? info[1] : env.Undefined(), defaults_);
  auto* worker = new RecognizeWorker(env, pipeline_, view, opt, img);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value CreateEngine(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    auto d = Napi::Promise::Deferred::New(env);
    d.Reject(Napi::TypeError::New(env, "createEngine expects a config object").Value());
    return d.Promise();
  }
  ocr::EngineConfig config = ToEngineConfig(info[0].As<Napi::Object>());
  ocr::PipelineOptions defaults = ToPipelineOptions(info.Length() > 1 ? info[1] : env.Undefined(), ocr::PipelineOptions{});
  auto* worker = new CreateEngineWorker(env, std::move(config), defaults);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace binding
