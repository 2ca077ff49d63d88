#include "ocr/recognizer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <numeric>
#include <stdexcept>

#include <opencv2/imgproc.hpp>

#include "ocr/image_ops.h"

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

Recognized CtcDecode(const float* probs, int steps, int classes, const std::vector<std::string>& charset,
                     float stepPx, int height, const RecOptions& opt) {
  Recognized r;
  double sum = 0;
  int kept = 0;
  int prevIdx = 0;
  int lastEnd = -1;       // last time step of the previous kept character
  bool lastSpace = true;  // no space at the start of a line
  float gapSpaceProb = 0;  // highest probability of the space class since the last character
  const int spaceIdx = static_cast<int>(charset.size()) - 1;
  for (int t = 0; t < steps; ++t) {
    const float* row = probs + static_cast<size_t>(t) * classes;
    const int idx = static_cast<int>(std::max_element(row, row + classes) - row);
    if (idx != 0 && idx == prevIdx) lastEnd = t;  // same character continues
    if (idx == 0 && spaceIdx < classes) gapSpaceProb = std::max(gapSpaceProb, row[spaceIdx]);
    if (idx != 0 && idx != prevIdx && idx < static_cast<int>(charset.size())) {
      const std::string& ch = charset[idx];
      const bool isSpace = ch == " ";
      if (opt.restoreSpaces && !isSpace && !lastSpace && lastEnd >= 0) {
        // Blurred text: the space class loses to blank but still rises in the gap; wide gaps
        // without that signal are spaces too.
        const float gap = (t - lastEnd - 1) * stepPx / static_cast<float>(height);
        if (gap > opt.spaceGap || gapSpaceProb > opt.spaceProb) r.text += ' ';
      }
      r.text += ch;
      sum += row[idx];
      ++kept;
      lastSpace = isSpace;
      lastEnd = t;
      gapSpaceProb = 0;
    }
    prevIdx = idx;
  }
  while (!r.text.empty() && r.text.back() == ' ') r.text.pop_back();
  r.confidence = kept ? static_cast<float>(sum / kept) : 0.f;
  return r;
}

std::vector<Recognized> Recognizer::Run(const std::vector<cv::Mat>& crops, const RecOptions& opt, Timings& t) const {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<Recognized> results(crops.size());
  std::vector<float> ratios(crops.size());
  for (size_t i = 0; i < crops.size(); ++i) ratios[i] = static_cast<float>(crops[i].cols) / crops[i].rows;
  // Similar widths in one batch keep padding small.
  std::vector<size_t> order(crops.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ratios[a] > ratios[b]; });

  static const float mean[3] = {0.5f, 0.5f, 0.5f};
  static const float stdv[3] = {0.5f, 0.5f, 0.5f};
  const int batch = std::max(1, opt.batchSize);
  const int h = height_;
  std::vector<float> input, planes;
  const float minRatio = 320.f / 48.f;
  for (size_t start = 0, n = 0; start < order.size(); start += n) {
    // Widest first: each batch fits in the memory the previous one freed. A batch holds at most
    // batchSize lines and, for wide lines, fewer: its padded width stays within the budget.
    const int w = static_cast<int>(std::ceil(h * std::max(minRatio, ratios[order[start]])));
    const size_t byWidth = opt.batchWidth > 0 ? std::max<size_t>(1, static_cast<size_t>(opt.batchWidth) / w) : order.size();
    n = std::min({order.size() - start, static_cast<size_t>(batch), byWidth});
    const size_t per = static_cast<size_t>(3) * h * w;
    input.assign(n * per, 0.f);
    for (size_t i = 0; i < n; ++i) {
      const cv::Mat& c = crops[order[start + i]];
      const int rw = std::clamp(static_cast<int>(std::ceil(h * ratios[order[start + i]])), 1, w);
      cv::Mat resized;
      cv::resize(c, resized, cv::Size(rw, h), 0, 0, cv::INTER_LINEAR);
      planes.resize(static_cast<size_t>(3) * h * rw);
      AppendChw(resized, mean, stdv, planes.data());
      for (int ch = 0; ch < 3; ++ch)
        for (int y = 0; y < h; ++y)
          std::copy_n(planes.data() + (static_cast<size_t>(ch) * h + y) * rw, rw,
                      input.data() + i * per + (static_cast<size_t>(ch) * h + y) * w);
    }
    TensorOut out = runner_.Run(input, {static_cast<int64_t>(n), 3, h, w}, &t.ortRun, start + n >= order.size());
    const int steps = static_cast<int>(out.shape[1]);
    const int classes = static_cast<int>(out.shape[2]);
    if (classes != static_cast<int>(charset_.size())) {
      throw std::runtime_error("dictionary does not match the recognition model: model has " +
                               std::to_string(classes) + " classes, dictionary gives " +
                               std::to_string(charset_.size()));
    }
    const float stepPx = static_cast<float>(w) / steps;
    for (size_t i = 0; i < n; ++i) {
      results[order[start + i]] =
          CtcDecode(out.data() + i * static_cast<size_t>(steps) * classes, steps, classes, charset_, stepPx, h, opt);
    }
  }
  t.rec += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return results;
}

}  // namespace ocr
