#include "ocr/orientation.h"

#include <algorithm>
#include <cmath>

#include <opencv2/core.hpp>

namespace ocr {

bool MostlyTall(const std::vector<Quad>& boxes) {
  double tall = 0, wide = 0;
  for (const Quad& q : boxes) {
    // Corners run clockwise from the top-left of the box as it lies on the page.
    const float w = std::hypot(q[0].x - q[1].x, q[0].y - q[1].y);
    const float h = std::hypot(q[0].x - q[3].x, q[0].y - q[3].y);
    if (h >= 2.f * w) tall += h;
    else if (w >= 2.f * h) wide += w;
  }
  return tall > wide;
}

std::vector<size_t> VoteSample(const std::vector<cv::Mat>& crops, const std::vector<size_t>& candidates, size_t count) {
  std::vector<size_t> out;
  for (size_t i : candidates) {
    if (crops[i].rows > 0 && crops[i].cols >= 3 * crops[i].rows) out.push_back(i);
  }
  std::stable_sort(out.begin(), out.end(), [&](size_t a, size_t b) { return crops[a].cols > crops[b].cols; });
  if (out.size() > count) out.resize(count);
  return out;
}

std::vector<cv::Mat> TurnedSample(const std::vector<cv::Mat>& crops, const std::vector<size_t>& sample, float maxAspect) {
  std::vector<cv::Mat> out;
  out.reserve(sample.size());
  for (size_t i : sample) {
    const cv::Mat& c = crops[i];
    const int cols = std::min(c.cols, static_cast<int>(std::lround(maxAspect * c.rows)));
    cv::Mat turned;
    cv::rotate(c, turned, cv::ROTATE_180);
    out.push_back(turned(cv::Rect(0, 0, std::max(1, cols), c.rows)).clone());
  }
  return out;
}

bool TurnedWins(const std::vector<float>& asRead, const std::vector<float>& turned, float margin) {
  const size_t n = std::min(asRead.size(), turned.size());
  if (n == 0) return false;
  size_t better = 0;
  double gain = 0;
  for (size_t i = 0; i < n; ++i) {
    if (turned[i] > asRead[i]) ++better;
    gain += turned[i] - asRead[i];
  }
  return 2 * better > n && gain / n >= margin;
}

cv::Mat TurnImage(const cv::Mat& image, int rotation) {
  cv::Mat out;
  if (rotation == 90) cv::rotate(image, out, cv::ROTATE_90_CLOCKWISE);
  else if (rotation == 180) cv::rotate(image, out, cv::ROTATE_180);
  else if (rotation == 270) cv::rotate(image, out, cv::ROTATE_90_COUNTERCLOCKWISE);
  else out = image;
  return out;
}

Point FromTurned(Point p, int rotation, int w, int h) {
  // Turned clockwise by 90, (x, y) of the submitted image lies at (h - y, x); by 270 at (y, w - x).
  if (rotation == 90) return {p.y, h - p.x};
  if (rotation == 180) return {w - p.x, h - p.y};
  if (rotation == 270) return {w - p.y, p.x};
  return p;
}

void MapLinesBack(std::vector<Line>& lines, int rotation, int w, int h) {
  if (rotation == 0) return;
  auto map = [&](Quad& q) {
    for (Point& p : q) p = FromTurned(p, rotation, w, h);
  };
  for (Line& l : lines) {
    map(l.box);
    for (Word& wd : l.words) map(wd.box);
  }
}

}  // namespace ocr
