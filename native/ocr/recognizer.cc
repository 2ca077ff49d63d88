#include "ocr/recognizer.h"

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <cmath>
#include <fstream>
#include <numeric>
#include <stdexcept>

#include <opencv2/imgproc.hpp>

#include "ocr/image_ops.h"
#include "ocr/ink.h"
#include "ocr/pieces.h"
#include "ocr/spaces.h"

namespace ocr {

std::vector<std::string> LoadCharset(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("dictionary file not found or unreadable: " + path);
  std::vector<std::string> charset{"<blank>"};
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    charset.push_back(line);
  }
  if (charset.size() < 2) throw std::runtime_error("dictionary file is empty: " + path);
  charset.push_back(" ");
  return charset;
}

namespace {

// Moves each word's edges to the ink: CTC peaks mark where characters are, not where their
// strokes begin and end. Two neighbours are parted at the widest blank run of columns between
// the last character of one and the first of the other; each word then shrinks to its own ink.
void FitToInk(std::vector<WordSpan>& words, const std::vector<float>& firstCenter,
              const std::vector<float>& lastCenter, const std::vector<float>& ink, float scale) {
  const int width = static_cast<int>(ink.size());
  std::vector<float> lo(words.size(), 0.f), hi(words.size(), static_cast<float>(width));
  for (size_t i = 1; i < words.size(); ++i) {
    const int a = std::clamp(static_cast<int>(lastCenter[i - 1]), 0, width);
    const int b = std::clamp(static_cast<int>(std::ceil(firstCenter[i])), 0, width);
    int bestStart = -1, bestLen = 0;
    for (int x = a; x < b;) {
      if (ink[x] > 0.f) { ++x; continue; }
      int e = x;
      while (e < b && ink[e] <= 0.f) ++e;
      if (e - x > bestLen) { bestLen = e - x; bestStart = x; }
      x = e;
    }
    const float cut = (words[i - 1].x1 + words[i].x0) / 2.f;
    hi[i - 1] = bestLen > 0 ? static_cast<float>(bestStart) : cut;
    lo[i] = bestLen > 0 ? static_cast<float>(bestStart + bestLen) : cut;
  }
  for (size_t i = 0; i < words.size(); ++i) {
    int first = -1, last = -1;
    const int a = std::max(0, static_cast<int>(std::floor(lo[i]))), b = std::min(width, static_cast<int>(std::ceil(hi[i])));
    for (int x = a; x < b; ++x) {
      if (ink[x] > 0.f) {
        if (first < 0) first = x;
        last = x;
      }
    }
    WordSpan& w = words[i];
    if (first >= 0) {
      w.x0 = static_cast<float>(first);
      w.x1 = static_cast<float>(last + 1);
    }
    w.x0 = std::clamp(w.x0, 0.f, static_cast<float>(width)) * scale;
    w.x1 = std::clamp(w.x1, 0.f, static_cast<float>(width)) * scale;
  }
}

}  // namespace

Recognized AssembleLine(const std::vector<CharHit>& chars, const std::vector<float>& ink, int height, float scale,
                        const std::vector<std::string>& charset, const RecOptions& opt) {
  Recognized r;
  const std::vector<bool> space = SpacesBefore(chars, ink, height, charset, opt);
  double sum = 0, wordSum = 0;
  int wordChars = 0;
  std::vector<float> firstCenter, lastCenter;
  for (size_t i = 0; i < chars.size(); ++i) {
    const CharHit& c = chars[i];
    const float center = (c.x0 + c.x1) / 2.f;
    if (i == 0 || space[i]) {
      if (!r.words.empty()) r.words.back().confidence = static_cast<float>(wordSum / wordChars);
      r.words.push_back(WordSpan{"", 0.f, c.x0, c.x1});
      firstCenter.push_back(center);
      lastCenter.push_back(center);
      wordSum = 0;
      wordChars = 0;
    }
    WordSpan& w = r.words.back();
    w.text += charset[c.cls];
    w.x1 = c.x1;
    lastCenter.back() = center;
    wordSum += c.prob;
    ++wordChars;
    sum += c.prob;
  }
  if (!r.words.empty()) r.words.back().confidence = static_cast<float>(wordSum / wordChars);
  for (const WordSpan& w : r.words) {
    if (!r.text.empty()) r.text += ' ';
    r.text += w.text;
  }
  r.confidence = chars.empty() ? 0.f : static_cast<float>(sum / chars.size());
  FitToInk(r.words, firstCenter, lastCenter, ink, scale);
  if (opt.trace) {
    r.chars = chars;
    r.ink = ink;
    r.scale = scale;
  }
  return r;
}

std::string TraceJson(const Recognized& r, const std::vector<std::string>& charset) {
  auto num = [](float v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return std::string(buf);
  };
  std::string out = "{\"scale\":" + num(r.scale) + ",\"chars\":[";
  for (size_t i = 0; i < r.chars.size(); ++i) {
    const CharHit& c = r.chars[i];
    std::string text;
    for (char ch : charset[c.cls]) {
      if (ch == '"' || ch == '\\') text += '\\';
      if (static_cast<unsigned char>(ch) >= 0x20) text += ch;
    }
    out += (i ? ",[\"" : "[\"") + text + "\"," + num(c.x0) + "," + num(c.x1) + "," + num(c.prob) + "," +
           num(c.gapSpace) + "," + (c.modelSpace ? "1" : "0") + "]";
  }
  out += "],\"ink\":[";
  for (size_t i = 0; i < r.ink.size(); ++i) out += (i ? "," : "") + num(r.ink[i]);
  return out + "]}";
}

void Recognizer::RunBatch(const std::vector<RecTask*>& batch, int w, bool last, Timings& t) const {
  static const float mean[3] = {0.5f, 0.5f, 0.5f};
  static const float stdv[3] = {0.5f, 0.5f, 0.5f};
  const int h = height_;
  const int spaceIdx = static_cast<int>(charset_.size()) - 1;
  const size_t n = batch.size();
  const size_t per = static_cast<size_t>(3) * h * w;
  std::vector<float> input(n * per, 0.f), planes;
  for (size_t i = 0; i < n; ++i) {
    const RecTask& it = *batch[i];
    const cv::Mat part = it.line->colRange(it.piece.begin, it.piece.end);
    const int rw = part.cols;
    planes.resize(static_cast<size_t>(3) * h * rw);
    AppendChw(part, mean, stdv, planes.data());  // row by row: a column range needs no copy
    for (int ch = 0; ch < 3; ++ch)
      for (int y = 0; y < h; ++y)
        std::copy_n(planes.data() + (static_cast<size_t>(ch) * h + y) * rw, rw,
                    input.data() + i * per + (static_cast<size_t>(ch) * h + y) * w);
  }
  std::vector<Ort::Value> outs = runner_.RunAll(input, {static_cast<int64_t>(n), 3, h, w}, &t.ortRun, last);
  // An augmented graph (AugmentRecognizer) hands over three values per time step; a plain one
  // the whole distribution, reduced here.
  int steps = 0, classes = 0;
  StepsView view;
  std::vector<int64_t> best;
  std::vector<float> prob, space;
  if (outs.size() == 4) {
    const int64_t* shape = outs[3].GetTensorData<int64_t>();
    steps = static_cast<int>(shape[1]);
    classes = static_cast<int>(shape[2]);
    view = StepsView{outs[0].GetTensorData<int64_t>(), outs[1].GetTensorData<float>(), outs[2].GetTensorData<float>(), steps};
    t.recOutBytes += static_cast<double>(n) * steps * (sizeof(int64_t) + 2 * sizeof(float));
  } else {
    const std::vector<int64_t> shape = outs[0].GetTensorTypeAndShapeInfo().GetShape();
    steps = static_cast<int>(shape[1]);
    classes = static_cast<int>(shape[2]);
    best.resize(n * steps);
    prob.resize(n * steps);
    space.resize(n * steps);
    const float* probs = outs[0].GetTensorData<float>();
    for (size_t i = 0; i < n; ++i)
      ReduceSteps(probs + i * static_cast<size_t>(steps) * classes, steps, classes, spaceIdx, best.data() + i * steps,
                  prob.data() + i * steps, space.data() + i * steps);
    view = StepsView{best.data(), prob.data(), space.data(), steps};
    t.recOutBytes += static_cast<double>(n) * steps * classes * sizeof(float);
  }
  if (classes != static_cast<int>(charset_.size())) {
    throw std::runtime_error("dictionary does not match the recognition model: model has " +
                             std::to_string(classes) + " classes, dictionary gives " +
                             std::to_string(charset_.size()));
  }
  const float stepPx = static_cast<float>(w) / steps;
  for (size_t i = 0; i < n; ++i) {
    RecTask& it = *batch[i];
    it.decoded.clear();
    const StepsView line{view.best + i * steps, view.prob + i * steps, view.space + i * steps, steps};
    GreedyCtc(line, spaceIdx, stepPx, static_cast<float>(it.piece.begin), it.decoded);
  }
}

std::vector<Recognized> Recognizer::Run(const std::vector<cv::Mat>& crops, const RecOptions& opt, Timings& t,
                                        RecScheduler::Ticket* ticket) const {
  const auto t0 = std::chrono::steady_clock::now();
  const int h = height_;
  // Every line scaled to the model's height once; wide lines become pieces (PlanPieces).
  std::vector<cv::Mat> scaled(crops.size());
  std::vector<std::vector<float>> inks(crops.size());
  std::vector<RecTask> tasks;
  std::vector<size_t> lineOf;
  for (size_t i = 0; i < crops.size(); ++i) {
    const int rw = std::max(1, static_cast<int>(std::ceil(h * static_cast<float>(crops[i].cols) / crops[i].rows)));
    cv::resize(crops[i], scaled[i], cv::Size(rw, h), 0, 0, cv::INTER_LINEAR);
    inks[i] = InkProfile(scaled[i]);
    for (const Piece& p : PlanPieces(inks[i], opt.pieceWidth, opt.pieceOverlap)) {
      RecTask task;
      task.line = &scaled[i];
      task.piece = p;
      tasks.push_back(std::move(task));
      lineOf.push_back(i);
    }
  }
  // Widest first: similar widths in one batch keep padding small, and each batch fits in the
  // memory the previous one freed. A batch holds at most batchSize pieces and, for wide ones,
  // fewer: its padded width stays within the budget (NextBatch).
  std::vector<size_t> order(tasks.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto width = [&](size_t i) { return tasks[i].piece.end - tasks[i].piece.begin; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return width(a) > width(b); });
  const RecScheduler::RunBatch run = [this](const std::vector<RecTask*>& b, int w, bool last, Timings& bt) {
    RunBatch(b, w, last, bt);
  };
  if (ticket && ticket->active()) {
    // Shared batches with the other pages in flight (rec_scheduler.h).
    ticket->Run(tasks, opt, run, t);
  } else {
    std::vector<int> widths;
    for (size_t k : order) widths.push_back(width(k));
    for (size_t start = 0, n = 0; start < order.size(); start += n) {
      int w = 0;
      n = NextBatch(widths.data() + start, widths.size() - start, opt, &w);
      std::vector<RecTask*> batch;
      for (size_t k = start; k < start + n; ++k) batch.push_back(&tasks[order[k]]);
      run(batch, w, start + n >= order.size(), t);
    }
  }
  struct Hint {
    float cut;
    bool modelSpace;
    float gapSpace;
  };
  std::vector<std::vector<CharHit>> chars(crops.size());
  std::vector<std::vector<Hint>> hints(crops.size());
  for (size_t k : order) {
    const RecTask& it = tasks[k];
    const size_t li = lineOf[k];
    // A piece's overlap is context only: a character belongs to the piece holding its center.
    // What this piece saw of the gap after its core (the model's space, the space signal) goes
    // with the next piece's first character, which sees that gap only at its input's edge.
    bool hinted = false;
    for (const CharHit& c : it.decoded) {
      const float center = (c.x0 + c.x1) / 2.f;
      if (center >= it.piece.coreBegin && center < it.piece.coreEnd) chars[li].push_back(c);
      else if (center >= it.piece.coreEnd && !hinted) {
        hints[li].push_back(Hint{static_cast<float>(it.piece.coreEnd), c.modelSpace, c.gapSpace});
        hinted = true;
      }
    }
  }
  std::vector<Recognized> results(crops.size());
  for (size_t i = 0; i < crops.size(); ++i) {
    std::stable_sort(chars[i].begin(), chars[i].end(), [](const CharHit& a, const CharHit& b) { return a.x0 < b.x0; });
    for (const Hint& hint : hints[i]) {
      for (CharHit& c : chars[i]) {
        if ((c.x0 + c.x1) / 2.f < hint.cut) continue;
        c.modelSpace = c.modelSpace || hint.modelSpace;
        c.gapSpace = std::max(c.gapSpace, hint.gapSpace);
        break;
      }
    }
    const float scale = static_cast<float>(crops[i].cols) / scaled[i].cols;
    results[i] = AssembleLine(chars[i], inks[i], h, scale, charset_, opt);
  }
  t.rec += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return results;
}

}  // namespace ocr
