#include "ocr/model_runner.h"

#include <chrono>

namespace ocr {

ModelRunner::ModelRunner(std::unique_ptr<Ort::Session> session) : session_(std::move(session)) {
  Ort::AllocatorWithDefaultOptions alloc;
  inputName_ = session_->GetInputNameAllocated(0, alloc).get();
  for (size_t i = 0; i < session_->GetOutputCount(); ++i) outputNames_.push_back(session_->GetOutputNameAllocated(i, alloc).get());
}

std::vector<Ort::Value> ModelRunner::RunAll(std::vector<float>& input, const std::vector<int64_t>& shape, double* runMs,
                                            bool release) const {
  static const Ort::MemoryInfo mem = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
  Ort::Value tensor = Ort::Value::CreateTensor<float>(mem, input.data(), input.size(), shape.data(), shape.size());
  const char* inNames[] = {inputName_.c_str()};
  std::vector<const char*> outNames;
  for (const auto& n : outputNames_) outNames.push_back(n.c_str());
  const auto t0 = std::chrono::steady_clock::now();
  Ort::RunOptions ro;
  if (release) ro.AddConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
  auto outputs = session_->Run(ro, inNames, &tensor, 1, outNames.data(), outNames.size());
  if (runMs) *runMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return outputs;
}

TensorOut ModelRunner::Run(std::vector<float>& input, const std::vector<int64_t>& shape, double* runMs, bool release) const {
  static const Ort::MemoryInfo mem = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
  Ort::Value tensor = Ort::Value::CreateTensor<float>(mem, input.data(), input.size(), shape.data(), shape.size());
  const char* inNames[] = {inputName_.c_str()};
  const char* outNames[] = {outputNames_[0].c_str()};
  const auto t0 = std::chrono::steady_clock::now();
  Ort::RunOptions ro;
  if (release) ro.AddConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
  auto outputs = session_->Run(ro, inNames, &tensor, 1, outNames, 1);
  const auto t1 = std::chrono::steady_clock::now();
  if (runMs) *runMs += std::chrono::duration<double, std::milli>(t1 - t0).count();
  TensorOut out;
  out.shape = outputs[0].GetTensorTypeAndShapeInfo().GetShape();
  out.value = std::move(outputs[0]);
  return out;
}

}  // namespace ocr
