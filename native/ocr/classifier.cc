#include "ocr/classifier.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "ocr/image_ops.h"

namespace ocr {

namespace {
constexpr int kH = 48, kW = 192;
}

std::vector<bool> Classifier::Run(std::vector<cv::Mat>& crops, const ClsOptions& opt, Timings& t) const {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<bool> flipped(crops.size(), false);
  static const float mean[3] = {0.5f, 0.5f, 0.5f};
  static const float stdv[3] = {0.5f, 0.5f, 0.5f};
  const int batch = std::max(1, opt.batchSize);
  const size_t per = static_cast<size_t>(3) * kH * kW;
  std::vector<float> input;
  for (size_t start = 0; start < crops.size(); start += batch) {
    const size_t n = std::min(crops.size() - start, static_cast<size_t>(batch));
    input.assign(n * per, 0.f);
    for (size_t i = 0; i < n; ++i) {
      const cv::Mat& c = crops[start + i];
      const int w = std::min(kW, static_cast<int>(std::ceil(kH * static_cast<float>(c.cols) / c.rows)));
      cv::Mat resized;
      cv::resize(c, resized, cv::Size(std::max(1, w), kH));
      // Write into a zero-padded kH x kW canvas, plane by plane.
      std::vector<float> planes(static_cast<size_t>(3) * kH * resized.cols);
      AppendChw(resized, mean, stdv, planes.data());
      for (int ch = 0; ch < 3; ++ch)
        for (int y = 0; y < kH; ++y)
          std::copy_n(planes.data() + (static_cast<size_t>(ch) * kH + y) * resized.cols, resized.cols,
                      input.data() + i * per + (static_cast<size_t>(ch) * kH + y) * kW);
    }
    TensorOut out = runner_.Run(input, {static_cast<int64_t>(n), 3, kH, kW}, &t.ortRun, start + batch >= crops.size());
    const float* p = out.data();
    const int classes = static_cast<int>(out.shape[1]);
    for (size_t i = 0; i < n; ++i) {
      const float* row = p + i * classes;
      if (classes >= 2 && row[1] > row[0] && row[1] > opt.thresh) {
        cv::rotate(crops[start + i], crops[start + i], cv::ROTATE_180);
        flipped[start + i] = true;
      }
    }
  }
  t.cls += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return flipped;
}

}  // namespace ocr
