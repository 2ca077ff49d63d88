// Where the ink is along a text-line crop: the measured geometry behind space decisions and word boxes.
#pragma once
#include <vector>

#include <opencv2/core.hpp>

namespace ocr {

// Fraction of each column's pixels that are ink, for a BGR crop. The crop is binarized with Otsu's
// threshold; the minority class is the ink, so light text on a dark bar works as well as dark on light.
std::vector<float> InkProfile(const cv::Mat& bgr);

}  // namespace ocr
