// One ONNX model with a single float input and a single float output.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <onnxruntime_cxx_api.h>

namespace ocr {

struct TensorOut {
  std::vector<int64_t> shape;
  Ort::Value value{nullptr};
  const float* data() const { return value.GetTensorData<float>(); }
};

class ModelRunner {
 public:
  explicit ModelRunner(std::unique_ptr<Ort::Session> session);
  // Thread-safe (Ort::Session::Run is). Adds the time spent inside Run to *runMs. With `release`,
  // the CPU arena's free regions go back to the system when the run ends: pass it on the last run
  // of a stage (the last strip, the last batch), so runs within a stage reuse memory.
  TensorOut Run(std::vector<float>& input, const std::vector<int64_t>& shape, double* runMs, bool release = false) const;
  // The same, returning every output of the graph, in the graph's order.
  std::vector<Ort::Value> RunAll(std::vector<float>& input, const std::vector<int64_t>& shape, double* runMs,
                                 bool release = false) const;
  const std::vector<std::string>& OutputNames() const { return outputNames_; }

 private:
  std::unique_ptr<Ort::Session> session_;
  std::string inputName_;
  std::vector<std::string> outputNames_;
};

}  // namespace ocr
