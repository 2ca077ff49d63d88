#include "ocr/db_detector.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include <opencv2/imgproc.hpp>

#include "ocr/image_ops.h"

namespace ocr {
namespace {

using Clock = std::chrono::steady_clock;
double Ms(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

// Orders the four corners of a rotated rect clockwise from the top-left, as PaddleOCR does.
Quad OrderedCorners(const cv::RotatedRect& r) {
  cv::Point2f p[4];
  r.points(p);
  std::sort(p, p + 4, [](const cv::Point2f& a, const cv::Point2f& b) { return a.x < b.x; });
  cv::Point2f tl, bl, tr, br;
  if (p[0].y <= p[1].y) { tl = p[0]; bl = p[1]; } else { tl = p[1]; bl = p[0]; }
  if (p[2].y <= p[3].y) { tr = p[2]; br = p[3]; } else { tr = p[3]; br = p[2]; }
  return Quad{Point{tl.x, tl.y}, Point{tr.x, tr.y}, Point{br.x, br.y}, Point{bl.x, bl.y}};
}

// Mean probability inside the polygon (PaddleOCR's "fast" box score over the min-area box).
float BoxScore(const cv::Mat& prob, const Quad& q) {
  float xmin = q[0].x, xmax = q[0].x, ymin = q[0].y, ymax = q[0].y;
  for (const auto& p : q) {
    xmin = std::min(xmin, p.x); xmax = std::max(xmax, p.x);
    ymin = std::min(ymin, p.y); ymax = std::max(ymax, p.y);
  }
  const int x0 = std::clamp(static_cast<int>(std::floor(xmin)), 0, prob.cols - 1);
  const int x1 = std::clamp(static_cast<int>(std::ceil(xmax)), 0, prob.cols - 1);
  const int y0 = std::clamp(static_cast<int>(std::floor(ymin)), 0, prob.rows - 1);
  const int y1 = std::clamp(static_cast<int>(std::ceil(ymax)), 0, prob.rows - 1);
  cv::Mat mask = cv::Mat::zeros(y1 - y0 + 1, x1 - x0 + 1, CV_8UC1);
  std::vector<cv::Point> poly;
  for (const auto& p : q) poly.emplace_back(static_cast<int>(p.x - x0), static_cast<int>(p.y - y0));
  cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(1));
  return static_cast<float>(cv::mean(prob(cv::Rect(x0, y0, x1 - x0 + 1, y1 - y0 + 1)), mask)[0]);
}

const float kMean[3] = {0.485f, 0.456f, 0.406f};
const float kStd[3] = {0.229f, 0.224f, 0.225f};

// Rows [begin, end) of the detector input go through the network; rows [keepBegin, keepEnd) of
// its map are kept. Strips tile the input: each kept range follows the previous one. All are
// multiples of 32 (the last strip ends at h, which is one too).
struct Strip {
  int begin, end, keepBegin, keepEnd;
};

std::vector<Strip> PlanStrips(int w, int h, const DetOptions& opt) {
  const int overlap = std::max(0, opt.tileOverlap / 32 * 32);
  // Rows per pass, a multiple of 32 (the network's stride), at least 32 beyond the overlaps.
  const int rows = opt.tilePixels > 0 ? std::max(overlap * 2 + 32, opt.tilePixels / std::max(1, w) / 32 * 32) : h;
  if (rows >= h) return {Strip{0, h, 0, h}};
  const int core = rows - 2 * overlap;
  std::vector<Strip> strips;
  for (int keep = 0; keep < h; keep += core) {
    const int keepEnd = std::min(h, keep + core);
    strips.push_back(Strip{std::max(0, keep - overlap), std::min(h, keepEnd + overlap), keep, keepEnd});
  }
  return strips;
}

}  // namespace

std::vector<DetBox> BoxesFromMap(const cv::Mat& prob, const DetOptions& opt) {
  cv::Mat bitmap = prob > opt.thresh;
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(bitmap, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  std::vector<DetBox> boxes;
  const size_t n = std::min(contours.size(), static_cast<size_t>(std::max(0, opt.maxCandidates)));
  for (size_t i = 0; i < n; ++i) {
    const auto& c = contours[i];
    if (c.size() < 4) continue;
    cv::RotatedRect rect = cv::minAreaRect(c);
    if (std::min(rect.size.width, rect.size.height) < opt.minSize) continue;
    if (BoxScore(prob, OrderedCorners(rect)) < opt.boxThresh) continue;
    // Unclip: offsetting a rectangle by d grows each side by 2d; the min-area box of the rounded
    // offset polygon (what PaddleOCR computes with Clipper) is exactly that grown rectangle.
    const float w = rect.size.width, h = rect.size.height;
    auto unclip = [&](float ratio) {
      const float d = (w * h) * ratio / (2.f * (w + h));
      cv::RotatedRect grown = rect;
      grown.size.width += 2.f * d;
      grown.size.height += 2.f * d;
      return grown;
    };
    const cv::RotatedRect box = unclip(opt.unclipRatio);
    if (std::min(box.size.width, box.size.height) < opt.minSize + 2) continue;
    const float cropRatio = opt.cropUnclipRatio > 0 ? opt.cropUnclipRatio : opt.unclipRatio;
    boxes.push_back(DetBox{OrderedCorners(box), OrderedCorners(unclip(cropRatio))});
  }
  return boxes;
}

std::vector<DetBox> DbDetector::Run(const cv::Mat& bgr, const DetOptions& opt, Timings& t) const {
  auto t0 = Clock::now();
  const int srcW = bgr.cols, srcH = bgr.rows;
  const float ratio = std::max(srcW, srcH) > opt.limitSideLen
                          ? static_cast<float>(opt.limitSideLen) / std::max(srcW, srcH) : 1.f;
  const int w = std::max(32, static_cast<int>(std::round(srcW * ratio / 32.f)) * 32);
  const int h = std::max(32, static_cast<int>(std::round(srcH * ratio / 32.f)) * 32);
  cv::Mat resized;
  cv::resize(bgr, resized, cv::Size(w, h), 0, 0, cv::INTER_LINEAR);
  t.preprocess += Ms(t0, Clock::now());

  // The network is fully convolutional: a strip with enough rows of context above and below gives
  // the map of its middle rows, so a page never needs more live tensors than one strip does.
  cv::Mat prob(h, w, CV_32FC1);
  const std::vector<Strip> strips = PlanStrips(w, h, opt);
  for (const Strip& s : strips) {
    const int rows = s.end - s.begin;
    auto s0 = Clock::now();
    std::vector<float> input(static_cast<size_t>(3) * w * rows);
    AppendChw(resized.rowRange(s.begin, s.end), kMean, kStd, input.data());
    auto s1 = Clock::now();
    t.preprocess += Ms(s0, s1);
    double run = 0;
    TensorOut out = runner_.Run(input, {1, 3, rows, w}, &run, &s == &strips.back());
    t.ortRun += run;
    t.det += Ms(s1, Clock::now());
    input = {};
    if (out.shape.size() != 4 || out.shape[2] != rows || out.shape[3] != w) {
      throw std::runtime_error("the detector's output map does not match its input size");
    }
    const cv::Mat map(rows, w, CV_32FC1, const_cast<float*>(out.data()));
    map.rowRange(s.keepBegin - s.begin, s.keepEnd - s.begin).copyTo(prob.rowRange(s.keepBegin, s.keepEnd));
  }
  resized.release();

  auto t2 = Clock::now();
  std::vector<DetBox> boxes = BoxesFromMap(prob, opt);
  const float sx = static_cast<float>(srcW) / w, sy = static_cast<float>(srcH) / h;
  for (auto& b : boxes) {
    for (Quad* q : {&b.box, &b.crop}) {
      for (auto& p : *q) {
        p.x = std::clamp(std::round(p.x * sx), 0.f, static_cast<float>(srcW));
        p.y = std::clamp(std::round(p.y * sy), 0.f, static_cast<float>(srcH));
      }
    }
  }
  t.postprocess += Ms(t2, Clock::now());
  return boxes;
}

}  // namespace ocr
