// Tunable parameters of the pipeline. Defaults were tuned on the shared dev corpus (300 dpi pages).
#pragma once
#include <string>

namespace ocr {

struct DetOptions {
  int limitSideLen = 1920;    // longest side of the detector input, rounded to a multiple of 32
  // Detector input pixels per pass. A larger input runs as overlapping horizontal strips whose
  // probability maps are stitched: the detector's live tensors scale with the strip, not the page.
  // 0: one pass whatever the size.
  int tilePixels = 1 << 19;
  int tileOverlap = 64;       // rows of context above and below each strip (detector pixels)
  float thresh = 0.3f;        // probability-map binarization threshold
  float boxThresh = 0.6f;     // minimum mean probability inside a box
  float unclipRatio = 1.3f;   // reported box expansion: area * ratio / perimeter (tuned for line boxes)
  float cropUnclipRatio = 2.0f; // expansion of the region cropped for recognition (0: same as box)
  int maxCandidates = 1000;   // contours examined at most
  int minSize = 3;            // boxes with a shorter side (detector pixels) are dropped
};

struct ClsOptions {
  bool enabled = false;
  float thresh = 0.9f;        // flip a line when "180" scores above this
  int batchSize = 8;
};

struct RecOptions {
  int batchSize = 8;
  int batchWidth = 2560;      // padded input columns per batch at most: wide lines go in smaller batches; 0: no limit
  // Lines wider than this (input columns at the model's height) are read as pieces cut at blank
  // columns, each with pieceOverlap columns of context on both sides; 0: whole lines.
  int pieceWidth = 0;
  int pieceOverlap = 32;
  // > 0: each piece is padded to its width rounded up to a multiple of this, and a batch holds
  // pieces of one such width only, so what a line reads never depends on which lines share its
  // batch (same text with or without cross-page batching) and input shapes repeat. 0: a batch is
  // padded to its widest piece.
  int bucketWidth = 0;
  int minWidth = 320;          // narrower inputs are padded to this many columns (PaddleOCR pads to 320)
  float scoreThresh = 0.5f;   // lines under this confidence are dropped
  bool restoreSpaces = true;  // decide spaces from the gaps' geometry too, not only the model's own
  float spaceBias = 0.f;      // added to the space model's score: > 0 more spaces, < 0 fewer
  bool fixLatin = true;       // full-width forms and CJK look-alikes to ASCII in non-CJK lines
  bool trace = false;         // diagnostics: each line carries its decoded characters and ink profile
};

struct PipelineOptions {
  DetOptions det;
  ClsOptions cls;
  RecOptions rec;
  float lineTolerance = 0.5f; // same visual line when centers differ by < tolerance * line height
  // Page orientation (orientation.h): decide 0/90/180/270 once per page and read a turned page
  // again upright. The vote reads up to orientationLines of the widest lines turned round, each cut to
  // orientationAspect times its height, and turns the page when they read better by orientationMargin.
  bool orientation = true;
  int orientationLines = 5;
  float orientationAspect = 12.f;
  float orientationMargin = 0.05f;
};

struct ModelPaths {
  std::string det;
  std::string rec;
  std::string cls;            // may be empty: classifier unavailable
  std::string dict;
  int recHeight = 48;
};

struct EngineConfig {
  ModelPaths models;
  std::string provider = "cpu"; // "cpu" | "cuda"
  int intraOpThreads = 1;
  int deviceId = 0;
  bool reduceOnDevice = true;   // augment the recognition graph to output per-step arg-max values only
  bool spinning = false;        // ONNX Runtime's intra-op threads spin between ops (one engine per process only)
  bool fuseGraph = true;         // exact activation rewrites of every model graph at load (onnx_fuse.h)
  // Recognition batches shared by every page in flight on this engine (rec_scheduler.h), and how
  // long a batch that is not full waits for the lines of pages still on their way.
  bool crossPageBatching = false;
  double batchWaitMs = 3.0;
};

}  // namespace ocr
