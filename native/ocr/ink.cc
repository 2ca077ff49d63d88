#include "ocr/ink.h"

#include <opencv2/imgproc.hpp>

namespace ocr {

std::vector<float> InkProfile(const cv::Mat& bgr) {
  std::vector<float> ink(bgr.cols, 0.f);
  if (bgr.empty()) return ink;
  // The crop is cut wider than the line (detCropUnclipRatio): its top and bottom rows can hold the
  // descenders and ascenders of the neighbouring lines, which would fill the gaps between words.
  const int margin = bgr.rows / 6;
  cv::Mat gray, bin;
  cv::cvtColor(bgr.rowRange(margin, bgr.rows - margin), gray, cv::COLOR_BGR2GRAY);
  cv::threshold(gray, bin, 0, 1, cv::THRESH_BINARY | cv::THRESH_OTSU);
  // bin is 1 on the light class; ink is whichever class covers less of the crop.
  const bool darkInk = cv::countNonZero(bin) * 2 >= bin.rows * bin.cols;
  for (int y = 0; y < bin.rows; ++y) {
    const unsigned char* row = bin.ptr<unsigned char>(y);
    for (int x = 0; x < bin.cols; ++x) ink[x] += (row[x] == 0) == darkInk ? 1.f : 0.f;
  }
  for (float& v : ink) v /= static_cast<float>(bin.rows);
  return ink;
}

}  // namespace ocr
