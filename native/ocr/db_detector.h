// DB (differentiable binarization) text detector: page in, text quads in page pixels out.
#pragma once
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/model_runner.h"
#include "ocr/options.h"
#include "ocr/types.h"

namespace ocr {

// A detected line: the box reported to the caller and the (possibly larger) region cropped for
// recognition. Both derive from the same min-area rectangle with different unclip ratios.
struct DetBox {
  Quad box;
  Quad crop;
};

class DbDetector {
 public:
  explicit DbDetector(ModelRunner runner) : runner_(std::move(runner)) {}
  std::vector<DetBox> Run(const cv::Mat& bgr, const DetOptions& opt, Timings& t) const;

 private:
  ModelRunner runner_;
};

// Post-processing on a probability map, exposed for unit tests. Quads are in map pixels.
std::vector<DetBox> BoxesFromMap(const cv::Mat& prob, const DetOptions& opt);

}  // namespace ocr
