#include "ocr/image_ops.h"

#include <cmath>

#include <opencv2/imgproc.hpp>

namespace ocr {

cv::Mat ToBgr(const ImageView& v) {
  const int type = v.channels == 1 ? CV_8UC1 : v.channels == 3 ? CV_8UC3 : CV_8UC4;
  cv::Mat src(v.height, v.width, type, const_cast<unsigned char*>(v.data), static_cast<size_t>(v.stride));
  cv::Mat bgr;
  if (v.channels == 1) cv::cvtColor(src, bgr, cv::COLOR_GRAY2BGR);
  else if (v.channels == 3) cv::cvtColor(src, bgr, cv::COLOR_RGB2BGR);
  else cv::cvtColor(src, bgr, cv::COLOR_RGBA2BGR);
  return bgr;
}

void AppendChw(const cv::Mat& bgr, const float mean[3], const float stdv[3], float* out) {
  const int h = bgr.rows, w = bgr.cols;
  const size_t plane = static_cast<size_t>(h) * w;
  float scale[3], shift[3];
  for (int c = 0; c < 3; ++c) {
    scale[c] = 1.f / (255.f * stdv[c]);
    shift[c] = -mean[c] / stdv[c];
  }
  for (int y = 0; y < h; ++y) {
    const unsigned char* row = bgr.ptr<unsigned char>(y);
    float* p0 = out + static_cast<size_t>(y) * w;
    float* p1 = p0 + plane;
    float* p2 = p1 + plane;
    for (int x = 0; x < w; ++x) {
      p0[x] = row[3 * x] * scale[0] + shift[0];
      p1[x] = row[3 * x + 1] * scale[1] + shift[1];
      p2[x] = row[3 * x + 2] * scale[2] + shift[2];
    }
  }
}

cv::Mat CropQuad(const cv::Mat& bgr, const Quad& q, int* warpW, int* warpH, bool* rotated) {
  auto dist = [](const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); };
  const int w = std::max(1, static_cast<int>(std::max(dist(q[0], q[1]), dist(q[2], q[3]))));
  const int h = std::max(1, static_cast<int>(std::max(dist(q[0], q[3]), dist(q[1], q[2]))));
  cv::Point2f src[4] = {{q[0].x, q[0].y}, {q[1].x, q[1].y}, {q[2].x, q[2].y}, {q[3].x, q[3].y}};
  cv::Point2f dst[4] = {{0.f, 0.f}, {static_cast<float>(w), 0.f}, {static_cast<float>(w), static_cast<float>(h)},
                        {0.f, static_cast<float>(h)}};
  cv::Mat m = cv::getPerspectiveTransform(src, dst);
  cv::Mat crop;
  cv::warpPerspective(bgr, crop, m, cv::Size(w, h), cv::INTER_CUBIC, cv::BORDER_REPLICATE);
  if (warpW) *warpW = w;
  if (warpH) *warpH = h;
  if (rotated) *rotated = crop.rows >= 1.5 * crop.cols;
  if (crop.rows >= 1.5 * crop.cols) {
    cv::Mat rotated;
    cv::rotate(crop, rotated, cv::ROTATE_90_COUNTERCLOCKWISE);
    return rotated;
  }
  return crop;
}

}  // namespace ocr
