#include "ocr/pipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <map>
#include <malloc.h>

#include <mutex>

#include "ocr/image_ops.h"
#include "ocr/onnx_edit.h"
#include "ocr/onnx_fuse.h"
#include "ocr/onnx_widen.h"
#include "ocr/orientation.h"
#include "ocr/rulings.h"
#include "ocr/ort_env.h"
#include "ocr/text_fixes.h"
#include "ocr/word_boxes.h"

namespace ocr {
namespace {

std::string Key(const EngineConfig& c) {
  return c.models.det + '\n' + c.models.rec + '\n' + c.models.cls + '\n' + c.models.dict + '\n' +
         std::to_string(c.models.recHeight) + '\n' + c.provider + '\n' + std::to_string(c.intraOpThreads) +
         '\n' + std::to_string(c.deviceId) + (c.reduceOnDevice ? "\nreduce" : "") +
         (c.fuseGraph ? "\nfuse" : "") + (c.spinning ? "\nspin" : "") +
         (c.crossPageBatching ? "\nshare " + std::to_string(c.batchWaitMs) : "");
}

struct Extent {
  float cy, h, x;
};

Extent ExtentOf(const Quad& q) {
  float ymin = q[0].y, ymax = q[0].y, xmin = q[0].x;
  for (const auto& p : q) {
    ymin = std::min(ymin, p.y);
    ymax = std::max(ymax, p.y);
    xmin = std::min(xmin, p.x);
  }
  return {(ymin + ymax) / 2.f, ymax - ymin, xmin};
}

}  // namespace

std::shared_ptr<Pipeline> Pipeline::Get(const EngineConfig& config) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<Pipeline>> cache;
  std::lock_guard<std::mutex> lock(mu);
  const std::string key = Key(config);
  if (auto existing = cache[key].lock()) return existing;
  auto created = std::make_shared<Pipeline>(config);
  cache[key] = created;
  return created;
}

Pipeline::Pipeline(const EngineConfig& c) : config_(c) {
  // The dictionary first: it is the cheapest thing to get wrong.
  std::vector<std::string> charset = LoadCharset(c.models.dict);
  // Every graph gets the exact activation rewrites (onnx_fuse.h); each model's counts are kept for
  // GraphRewrites().
  auto fuse = [this](const char* model) -> ModelEdit {
    return [this, model](const std::string& bytes) {
      FuseCounts counts;
      std::string out = FuseActivations(bytes, &counts);
      rewrites_[model].fused = counts;
      return out;
    };
  };
  // Float16 weights are widened to float32 first (onnx_widen.h): the CPU provider has no float16
  // kernels for these graphs, and the activation rewrites expect float32 constants. A float32
  // model passes through unchanged.
  auto widen = [this](const char* model) -> ModelEdit {
    return [this, model](const std::string& bytes) {
      WidenCounts counts;
      std::string out = WidenFloat16(bytes, &counts);
      rewrites_[model].widened = counts;
      return out;
    };
  };
  auto edits = [&](const char* model) {
    std::vector<ModelEdit> e{widen(model)};
    if (c.fuseGraph) e.push_back(fuse(model));
    return e;
  };
  auto load = [&](const char* model, const std::string& path, std::vector<ModelEdit> e) {
    rewrites_[model];  // an entry for every loaded graph, rewritten or not
    std::vector<bool> applied;
    auto session = CreateSession(path, c, e, &applied);
    if (!applied[0]) rewrites_[model].widened = WidenCounts{};
    if (c.fuseGraph && !applied[1]) rewrites_[model].fused = FuseCounts{};
    return std::pair{std::move(session), applied};
  };
  det_ = std::make_unique<DbDetector>(ModelRunner(load("det", c.models.det, edits("det")).first));
  // The recognizer's graph is also augmented to reduce its output per time step (onnx_edit.h):
  // only what CTC decoding needs leaves the session. The space class is the charset's last entry.
  const int64_t spaceClass = static_cast<int64_t>(charset.size()) - 1;
  std::vector<ModelEdit> recEdits = edits("rec");
  if (c.reduceOnDevice) recEdits.push_back([spaceClass](const std::string& b) { return AugmentRecognizer(b, spaceClass); });
  auto [recSession, recApplied] = load("rec", c.models.rec, recEdits);
  rewrites_["rec"].reduced = c.reduceOnDevice && recApplied.back();
  rec_ = std::make_unique<Recognizer>(ModelRunner(std::move(recSession)), std::move(charset), c.models.recHeight);
  if (c.crossPageBatching) sched_ = std::make_unique<RecScheduler>(c.batchWaitMs);
  if (!c.models.cls.empty()) {
    cls_ = std::make_unique<Classifier>(ModelRunner(load("cls", c.models.cls, edits("cls")).first));
  }
}

void SortReadingOrder(std::vector<Line>& lines, float tolerance) {
  std::vector<Extent> ext(lines.size());
  std::vector<size_t> idx(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    ext[i] = ExtentOf(lines[i].box);
    idx[i] = i;
  }
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return ext[a].cy < ext[b].cy; });
  // Group into visual rows: a box joins the row when its center is within tolerance of the row's
  // first box, relative to the smaller of the two heights.
  std::vector<size_t> sorted;
  sorted.reserve(idx.size());
  for (size_t i = 0; i < idx.size();) {
    size_t j = i + 1;
    const Extent& head = ext[idx[i]];
    while (j < idx.size() && ext[idx[j]].cy - head.cy < tolerance * std::min(head.h, ext[idx[j]].h)) ++j;
    std::stable_sort(idx.begin() + i, idx.begin() + j, [&](size_t a, size_t b) { return ext[a].x < ext[b].x; });
    sorted.insert(sorted.end(), idx.begin() + i, idx.begin() + j);
    i = j;
  }
  std::vector<Line> out;
  out.reserve(lines.size());
  for (size_t i : sorted) out.push_back(std::move(lines[i]));
  lines = std::move(out);
}

Pipeline::PageRead Pipeline::Read(cv::Mat bgr, const PipelineOptions& opt, Timings& t, RecScheduler::Ticket* ticket) const {
  PageRead read;
  std::vector<DetBox> boxes = det_->Run(bgr, opt.det, t);
  malloc_trim(0);
  const auto p0 = std::chrono::steady_clock::now();
  read.crops.reserve(boxes.size());
  for (const auto& b : boxes) {
    const Quad& q = b.box;
    read.boxes.push_back(q);
    const float w = std::hypot(q[0].x - q[1].x, q[0].y - q[1].y);
    const float h = std::hypot(q[0].x - q[3].x, q[0].y - q[3].y);
    if (w <= 3 || h <= 3) continue;
    CropFrame f;
    f.quad = b.crop;
    read.crops.push_back(CropQuad(bgr, b.crop, &f.w, &f.h, &f.rotated));
    read.frames.push_back(f);
    read.kept.push_back(q);
  }
  bgr.release();
  t.postprocess += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - p0).count();

  if (opt.cls.enabled && !cls_) {
    throw std::runtime_error("the line classifier was requested but this engine has no classifier model");
  }
  if (opt.cls.enabled && !read.crops.empty()) {
    const std::vector<bool> flipped = cls_->Run(read.crops, opt.cls, t);
    for (size_t i = 0; i < read.frames.size(); ++i) read.frames[i].flipped = flipped[i];
  }
  read.texts = rec_->Run(read.crops, opt.rec, t, ticket);
  return read;
}

std::vector<Line> Pipeline::Assemble(PageRead& read, const PipelineOptions& opt) const {
  std::vector<Line> lines;
  for (size_t i = 0; i < read.texts.size(); ++i) {
    Recognized& r = read.texts[i];
    if (r.text.empty() || r.confidence < opt.rec.scoreThresh) continue;
    Line line;
    line.confidence = r.confidence;
    line.box = read.kept[i];
    const bool latin = opt.rec.fixLatin && LatinFixApplies(r.text);
    for (WordSpan& w : r.words) {
      std::string text = latin ? MapLatin(w.text, line.words.empty()) : std::move(w.text);
      if (!line.text.empty()) line.text += ' ';
      line.text += text;
      line.words.push_back(Word{std::move(text), w.confidence, WordQuad(read.frames[i], read.kept[i], w.x0, w.x1)});
    }
    if (opt.rec.trace) line.trace = TraceJson(r, rec_->Charset());
    lines.push_back(std::move(line));
  }
  SortReadingOrder(lines, opt.lineTolerance);
  return lines;
}

int Pipeline::DecideRotation(const PageRead& read, const PipelineOptions& opt, Timings& t) const {
  const auto o0 = std::chrono::steady_clock::now();
  // Tall crops were read turned a quarter counter-clockwise (CropQuad): on a sideways page those
  // are the lines to vote on, and the page is upright once turned the same way (270) or, when
  // they read better the other way round, the opposite way (90).
  const bool tall = MostlyTall(read.boxes);
  std::vector<size_t> candidates;
  for (size_t i = 0; i < read.frames.size(); ++i) {
    if (read.frames[i].rotated == tall) candidates.push_back(i);
  }
  const std::vector<size_t> sample = VoteSample(read.crops, candidates, static_cast<size_t>(std::max(0, opt.orientationLines)));
  int rotation = 0;
  if (!sample.empty()) {
    RecOptions ro = opt.rec;
    ro.trace = false;
    Timings vt;
    const std::vector<Recognized> turned = rec_->Run(TurnedSample(read.crops, sample, opt.orientationAspect), ro, vt);
    std::vector<float> asRead, turnedConf;
    for (size_t k = 0; k < sample.size(); ++k) {
      asRead.push_back(read.texts[sample[k]].confidence);
      turnedConf.push_back(turned[k].confidence);
    }
    t.ortRun += vt.ortRun;
    const bool flip = TurnedWins(asRead, turnedConf, opt.orientationMargin);
    rotation = tall ? (flip ? 90 : 270) : (flip ? 180 : 0);
  }
  t.cls += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - o0).count();
  return rotation;
}

namespace {

// How much a reading of a page says: its characters weighted by their lines' confidence.
double ReadScore(const std::vector<Line>& lines) {
  double s = 0;
  for (const Line& l : lines) s += l.confidence * static_cast<double>(l.text.size());
  return s;
}

}  // namespace

Result Pipeline::Run(const ImageView& image, const PipelineOptions& opt) const {
  const auto t0 = std::chrono::steady_clock::now();
  // Announced from the start: a shared batch waits a little for this page's lines.
  RecScheduler::Ticket ticket = sched_ ? sched_->Enter() : RecScheduler::Ticket{};
  Result result;
  Timings& t = result.timings;
  const auto c0 = std::chrono::steady_clock::now();
  cv::Mat bgr = ToBgr(image);
  t.preprocess += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - c0).count();
  const auto c2 = std::chrono::steady_clock::now();
  for (const Ruling& r : FindRulings(bgr)) result.rulings.push_back({r.x0, r.y0, r.x1, r.y1});
  t.rulings = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - c2).count();

  PageRead read = Read(std::move(bgr), opt, t, &ticket);
  const int rotation = opt.orientation ? DecideRotation(read, opt, t) : 0;
  result.lines = Assemble(read, opt);
  read = PageRead{};
  if (rotation != 0) {
    // The page is read again turned upright, and kept so unless that reads clearly worse (the
    // vote's safety net: a sideways page already read fair with its crops turned one by one).
    const auto c1 = std::chrono::steady_clock::now();
    cv::Mat turned = TurnImage(ToBgr(image), rotation);
    t.preprocess += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - c1).count();
    PageRead again = Read(std::move(turned), opt, t, nullptr);
    std::vector<Line> lines = Assemble(again, opt);
    if (ReadScore(lines) >= 0.9 * ReadScore(result.lines)) {
      MapLinesBack(lines, rotation, image.width, image.height);
      result.lines = std::move(lines);
      result.rotation = rotation;
    }
  }
  // A page's tensors are tens of MB each; glibc keeps freed heap pages mapped unless asked, and
  // with several workers that retained memory, not the live data, dominates the process' RSS.
  malloc_trim(0);
  t.total = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return result;
}

}  // namespace ocr
