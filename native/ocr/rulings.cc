#include "ocr/rulings.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace ocr {
namespace {

// Grey levels between two neighbouring pixels that make an edge: light grey rules and pale cell
// shading on white differ by 15 or more; scanner noise and JPEG ringing mostly by less.
constexpr double kStep = 10;

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
  // Edges: a change of more than a few grey levels from the row above (horizontal) or the column
  // to the left (vertical). A thin rule gives its two edges, a shaded cell its border, a rule
  // between two shaded cells its own edges too (a mask of "darker than the page" would miss it).
  cv::Mat hEdge = cv::Mat::zeros(gray.size(), CV_8U), vEdge = cv::Mat::zeros(gray.size(), CV_8U);
  cv::Mat dh, dv;
  cv::absdiff(gray.rowRange(0, gray.rows - 1), gray.rowRange(1, gray.rows), dh);
  cv::Mat hPart = hEdge.rowRange(1, gray.rows);
  cv::threshold(dh, hPart, kStep, 255, cv::THRESH_BINARY);
  cv::absdiff(gray.colRange(0, gray.cols - 1), gray.colRange(1, gray.cols), dv);
  cv::Mat vPart = vEdge.colRange(1, gray.cols);
  cv::threshold(dv, vPart, kStep, 255, cv::THRESH_BINARY);
  // Long enough to be no letter: about two text heights of a screen rendering at this scale,
  // whatever the page size.
  const int hLen = std::max(20, static_cast<int>(std::lround(std::min(small.cols, small.rows) / 40.0)));
  const int vLen = std::max(12, hLen / 2);
  Collect(hEdge, true, hLen, scale, out);
  Collect(vEdge, false, vLen, scale, out);
  return out;
}

}  // namespace ocr
