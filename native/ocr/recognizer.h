// CTC text-line recognizer with batched inference, greedy decoding, space placement and word spans.
#pragma once
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/ctc.h"
#include "ocr/model_runner.h"
#include "ocr/options.h"
#include "ocr/rec_scheduler.h"
#include "ocr/types.h"

namespace ocr {

// A word of a recognized line: its columns [x0, x1) in pixels of the crop it was read from.
struct WordSpan {
  std::string text;
  float confidence = 0.f;
  float x0 = 0.f, x1 = 0.f;
};

struct Recognized {
  std::string text;  // the words joined by single spaces
  float confidence = 0.f;
  std::vector<WordSpan> words;
  // Diagnostics (RecOptions::trace): the decoder's characters and the ink profile, in pixels of
  // the crop scaled to the model's input height; scale = crop pixels per input pixel.
  std::vector<CharHit> chars;
  std::vector<float> ink;
  float scale = 1.f;
};

// Assembles a line from decoded characters: spaces (SpacesBefore), text, confidence and word spans
// in crop pixels (input pixels × scale). Exposed for tests.
Recognized AssembleLine(const std::vector<CharHit>& chars, const std::vector<float>& ink, int height, float scale,
                        const std::vector<std::string>& charset, const RecOptions& opt);

class Recognizer {
 public:
  // charset: index 0 is the CTC blank, then the dictionary, then " ".
  Recognizer(ModelRunner runner, std::vector<std::string> charset, int height)
      : runner_(std::move(runner)), charset_(std::move(charset)), height_(height) {}
  // With an active ticket (RecScheduler::Enter), the lines go into batches shared with the other
  // pages in flight; otherwise into this page's own batches. Same results either way, except for
  // batch padding (each batch is padded to its widest piece).
  std::vector<Recognized> Run(const std::vector<cv::Mat>& crops, const RecOptions& opt, Timings& t,
                              RecScheduler::Ticket* ticket = nullptr) const;
  size_t CharsetSize() const { return charset_.size(); }
  const std::vector<std::string>& Charset() const { return charset_; }

 private:
  void RunBatch(const std::vector<RecTask*>& batch, int width, bool last, Timings& t) const;

  ModelRunner runner_;
  std::vector<std::string> charset_;
  int height_;
};

// The diagnostics of a line as JSON: { scale, chars: [[text, x0, x1, prob, gapSpace, modelSpace]], ink }.
std::string TraceJson(const Recognized& r, const std::vector<std::string>& charset);

// Reads a PaddleOCR dictionary (one symbol per line) into a CTC charset. Throws when unreadable.
std::vector<std::string> LoadCharset(const std::string& path);

}  // namespace ocr
