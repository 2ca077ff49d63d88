// CTC text-line recognizer with batched inference and greedy decoding.
#pragma once
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/model_runner.h"
#include "ocr/options.h"
#include "ocr/types.h"

namespace ocr {

struct Recognized {
  std::string text;
  float confidence = 0.f;
};

// Greedy CTC decode of one line's [T, C] probabilities. stepPx is the crop width covered by one
// time step, in pixels of a crop scaled to height `height`; gaps wider than opt.spaceGap * height
// between two characters become a space when opt.restoreSpaces is set.
Recognized CtcDecode(const float* probs, int steps, int classes, const std::vector<std::string>& charset,
                     float stepPx, int height, const RecOptions& opt);

class Recognizer {
 public:
  // charset: index 0 is the CTC blank, then the dictionary, then " ".
  Recognizer(ModelRunner runner, std::vector<std::string> charset, int height)
      : runner_(std::move(runner)), charset_(std::move(charset)), height_(height) {}
  std::vector<Recognized> Run(const std::vector<cv::Mat>& crops, const RecOptions& opt, Timings& t) const;
  size_t CharsetSize() const { return charset_.size(); }

 private:
  ModelRunner runner_;
  std::vector<std::string> charset_;
  int height_;
};

// Reads a PaddleOCR dictionary (one symbol per line) into a CTC charset. Throws when unreadable.
std::vector<std::string> LoadCharset(const std::string& path);

}  // namespace ocr
