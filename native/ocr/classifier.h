// 0/180 degree text-line orientation classifier.
#pragma once
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/model_runner.h"
#include "ocr/options.h"
#include "ocr/types.h"

namespace ocr {

class Classifier {
 public:
  explicit Classifier(ModelRunner runner) : runner_(std::move(runner)) {}
  // Rotates crops in place that read as upside down with a score above opt.thresh; returns which.
  std::vector<bool> Run(std::vector<cv::Mat>& crops, const ClsOptions& opt, Timings& t) const;

 private:
  ModelRunner runner_;
};

}  // namespace ocr
