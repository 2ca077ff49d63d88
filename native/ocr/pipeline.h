// Detection → crops → optional orientation classifier → recognition → reading order.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ocr/classifier.h"
#include "ocr/db_detector.h"
#include "ocr/onnx_fuse.h"
#include "ocr/onnx_widen.h"
#include "ocr/options.h"
#include "ocr/recognizer.h"
#include "ocr/types.h"
#include "ocr/word_boxes.h"

namespace ocr {

class Pipeline {
 public:
  // Returns the pipeline for this configuration, creating its ONNX Runtime sessions only once per
  // process: every worker thread asking for the same models and provider shares them.
  // Throws std::runtime_error (missing or corrupt model, missing dictionary, unknown provider).
  static std::shared_ptr<Pipeline> Get(const EngineConfig& config);

  explicit Pipeline(const EngineConfig& config);
  // Thread-safe. Throws std::runtime_error on inference failure.
  Result Run(const ImageView& image, const PipelineOptions& opt) const;
  bool HasClassifier() const { return cls_ != nullptr; }
  const EngineConfig& Config() const { return config_; }

  // What was rewritten in each loaded graph ("det", "rec", "cls").
  struct Rewrites {
    WidenCounts widened;  // float16 tensors and types made float32 (onnx_widen.h)
    FuseCounts fused;
    bool reduced = false;  // the recognizer outputs per-step arg-max values (AugmentRecognizer)
  };
  const std::map<std::string, Rewrites>& GraphRewrites() const { return rewrites_; }
  // The cross-page recognition scheduler, when EngineConfig::crossPageBatching is on.
  const RecScheduler* Scheduler() const { return sched_.get(); }

 private:
  // One reading of a page image: its detected boxes, the crops and what the recognizer read.
  struct PageRead {
    std::vector<Quad> boxes;  // every detected box
    std::vector<cv::Mat> crops;
    std::vector<Quad> kept;   // the boxes of the crops
    std::vector<CropFrame> frames;
    std::vector<Recognized> texts;
  };
  // Detection, crops (bgr is released once cropped), line classifier, recognition.
  PageRead Read(cv::Mat bgr, const PipelineOptions& opt, Timings& t, RecScheduler::Ticket* ticket) const;
  // The lines read (under scoreThresh dropped), in reading order.
  std::vector<Line> Assemble(PageRead& read, const PipelineOptions& opt) const;
  // The orientation vote on a page read as submitted: 0/90/180/270 (orientation.h).
  int DecideRotation(const PageRead& read, const PipelineOptions& opt, Timings& t) const;

  EngineConfig config_;
  std::map<std::string, Rewrites> rewrites_;
  std::unique_ptr<DbDetector> det_;
  std::unique_ptr<Classifier> cls_;
  std::unique_ptr<Recognizer> rec_;
  std::unique_ptr<RecScheduler> sched_;
};

// Sorts lines top-to-bottom, then left-to-right within a visual line (exposed for tests).
void SortReadingOrder(std::vector<Line>& lines, float tolerance);

}  // namespace ocr
