// DB (differentiable binarization) text detector: page in, text quads in page pixels out.
#pragma once
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/model_runner.h"
#include "ocr/options.h"
#include "ocr/types.h"

namespace ocr {

class DbDetector {
 public:
  explicit DbDetector(ModelRunner runner) : runner_(std::move(runner)) {}
  std::vector<Quad> Run(const cv::Mat& bgr, const DetOptions& opt, Timings& t) const;

 private:
  ModelRunner runner_;
};

// Post-processing on a probability map, exposed for unit tests. Quads are in map pixels.
std::vector<Quad> BoxesFromMap(const cv::Mat& prob, const DetOptions& opt);

}  // namespace ocr
