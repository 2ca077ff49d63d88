// Ruling lines of a page: long horizontal and vertical strokes, and the edges of shaded areas
// (a table drawn with cell backgrounds instead of lines). Plain segments for the table finder.
#pragma once
#include <vector>

#include <opencv2/core.hpp>

namespace ocr {

// One axis-aligned segment in the pixels of the image it was found on: horizontal when y0 == y1
// (x0 < x1), vertical when x0 == x1 (y0 < y1).
struct Ruling {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// Strokes and shade edges at least minLen pixels long (scaled with the page), of a BGR page.
std::vector<Ruling> FindRulings(const cv::Mat& bgr);

}  // namespace ocr
