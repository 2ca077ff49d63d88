#include "ocr/rulings.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace ocr {
namespace {

// The page's background: the most frequent grey level among the light ones.
int Background(const cv::Mat& gray) {
  int hist[256] = {0};
  for (int y = 0; y < gray.rows; y += 2) {
    const uchar* p = gray.ptr<uchar>(y);
    for (int x = 0; x < gray.cols; x += 2) ++hist[p[x]];
  }
  int best = 255;
  for (int v = 128; v < 256; ++v)
    if (hist[v] > hist[best]) best = v;
  return best;
}

// Segments of the long runs of `edges` opened with a line kernel; `horizontal` picks the axis.
void Collect(const cv::Mat& edges, bool horizontal, int len, double scale, std::vector<Ruling>& out) {
  const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, horizontal ? cv::Size(len, 1) : cv::Size(1, len));
  cv::Mat opened;
  cv::morphologyEx(edges, opened, cv::MORPH_OPEN, kernel);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(opened, labels, stats, centroids, 8, CV_32S);
  for (int i = 1; i < n; ++i) {
    const float x = static_cast<float>(stats.at<int>(i, cv::CC_STAT_LEFT));
    const float y = static_cast<float>(stats.at<int>(i, cv::CC_STAT_TOP));
    const float w = static_cast<float>(stats.at<int>(i, cv::CC_STAT_WIDTH));
    const float h = static_cast<float>(stats.at<int>(i, cv::CC_STAT_HEIGHT));
    const float s = static_cast<float>(1.0 / scale);
    Ruling r;
    if (horizontal) {
      const float cy = static_cast<float>(centroids.at<double>(i, 1));
      r = {x * s, cy * s, (x + w) * s, cy * s};
    } else {
      const float cx = static_cast<float>(centroids.at<double>(i, 0));
      r = {cx * s, y * s, cx * s, (y + h) * s};
    }
    out.push_back(r);
  }
}

}  // namespace

std::vector<Ruling> FindRulings(const cv::Mat& bgr) {
  std::vector<Ruling> out;
  if (bgr.empty() || bgr.cols < 16 || bgr.rows < 16) return out;
  // A large page is looked at in half size: a one-pixel rule survives the area average, and the
  // morphology costs a quarter.
  const double scale = std::max(bgr.cols, bgr.rows) > 1800 ? 0.5 : 1.0;
  cv::Mat small;
  if (scale < 1.0) cv::resize(bgr, small, cv::Size(), scale, scale, cv::INTER_AREA);
  else small = bgr;
  cv::Mat gray;
  cv::cvtColor(small, gray, cv::COLOR_BGR2GRAY);
  // Anything darker than the background by a few levels: rules (even light grey ones), text and
  // shaded areas. A shaded cell's border is where this mask changes.
  const int bg = Background(gray);
  cv::Mat mask;
  cv::threshold(gray, mask, std::max(0, bg - 10), 255, cv::THRESH_BINARY_INV);
  // Horizontal edges: the mask differs from the row above (a 1-2 px rule gives its own stroke as
  // well, since it is thin); vertical edges likewise from the column to the left.
  cv::Mat hEdge = cv::Mat::zeros(mask.size(), CV_8U), vEdge = cv::Mat::zeros(mask.size(), CV_8U);
  cv::Mat up = mask.rowRange(0, mask.rows - 1), down = mask.rowRange(1, mask.rows);
  cv::Mat dh = hEdge.rowRange(1, mask.rows);
  cv::bitwise_xor(up, down, dh);
  cv::Mat left = mask.colRange(0, mask.cols - 1), right = mask.colRange(1, mask.cols);
  cv::Mat dv = vEdge.colRange(1, mask.cols);
  cv::bitwise_xor(left, right, dv);
  // Long enough to be no letter: about two text heights of a screen rendering at this scale,
  // whatever the page size.
  const int hLen = std::max(20, static_cast<int>(std::lround(std::min(small.cols, small.rows) / 40.0)));
  const int vLen = std::max(12, hLen / 2);
  Collect(hEdge, true, hLen, scale, out);
  Collect(vEdge, false, vLen, scale, out);
  return out;
}

}  // namespace ocr
