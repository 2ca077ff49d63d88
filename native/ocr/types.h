#pragma once
#include <array>
#include <string>
#include <vector>

namespace ocr {

struct Point {
  float x;
  float y;
};
using Quad = std::array<Point, 4>;  // clockwise from top-left

struct Word {
  std::string text;
  float confidence = 0.f;
  Quad box{};
};

struct Line {
  std::string text;  // the words' texts joined by single spaces
  float confidence = 0.f;
  Quad box{};
  std::vector<Word> words;
  std::string trace;  // diagnostics as JSON (RecOptions::trace), else empty
};

struct Timings {
  double preprocess = 0, det = 0, postprocess = 0, cls = 0, rec = 0, total = 0;
  double ortRun = 0;  // time spent inside Ort::Session::Run, all stages
  double recOutBytes = 0;  // bytes the recognizer's outputs hand to decoding (device to host on a GPU)
  double rulings = 0;  // finding ruling lines and shade edges (tables)
};

struct Result {
  std::vector<Line> lines;
  // The clockwise angle (0/90/180/270) that turned the page upright before it was read; boxes are
  // in the pixels of the image as submitted all the same.
  int rotation = 0;
  // Ruling lines and shaded-area edges as axis-aligned segments {x0, y0, x1, y1}, in the pixels of
  // the image as submitted (horizontal: y0 == y1; vertical: x0 == x1). Tables are built from them.
  std::vector<std::array<float, 4>> rulings;
  Timings timings;
};

// A borrowed view of page pixels; nothing is copied until the pipeline converts it.
struct ImageView {
  const unsigned char* data = nullptr;
  int width = 0;
  int height = 0;
  int channels = 0;  // 1 gray, 3 RGB, 4 RGBA
  int stride = 0;    // bytes per row
};

}  // namespace ocr
