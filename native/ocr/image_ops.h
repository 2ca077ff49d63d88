// Pixel conversions shared by the detector, classifier and recognizer.
#pragma once
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/types.h"

namespace ocr {

// Copies a gray/RGB/RGBA view into a BGR Mat (the channel order PaddleOCR models were trained on).
cv::Mat ToBgr(const ImageView& view);

// Appends the CHW float planes of a BGR image: (pixel / 255 - mean[c]) / std[c].
void AppendChw(const cv::Mat& bgr, const float mean[3], const float stdv[3], float* out);

// Perspective-warps the quad out of the page into an upright crop; tall crops are rotated 90°.
// *size gets the warped size before any turn, *rotated whether the crop was turned.
cv::Mat CropQuad(const cv::Mat& bgr, const Quad& quad, int* warpW = nullptr, int* warpH = nullptr, bool* rotated = nullptr);

}  // namespace ocr
