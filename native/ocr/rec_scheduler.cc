#include "ocr/rec_scheduler.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>

namespace ocr {

struct RecPage {
  size_t remaining = 0;
  std::string error;
};

size_t NextBatch(const int* widths, size_t count, const RecOptions& opt, int* w) {
  if (count == 0) return 0;
  auto padded = [&](int x) {
    x = std::max({8, opt.minWidth, x});
    return opt.bucketWidth > 0 ? (x + opt.bucketWidth - 1) / opt.bucketWidth * opt.bucketWidth : x;
  };
  *w = padded(widths[0]);
  size_t same = count;
  if (opt.bucketWidth > 0) {
    same = 1;
    while (same < count && padded(widths[same]) == *w) ++same;
  }
  const size_t byWidth = opt.batchWidth > 0 ? std::max<size_t>(1, static_cast<size_t>(opt.batchWidth) / *w) : count;
  return std::min({same, static_cast<size_t>(std::max(1, opt.batchSize)), byWidth});
}

RecScheduler::Ticket RecScheduler::Enter() {
  std::lock_guard<std::mutex> lock(mu_);
  ++preparing_;
  return Ticket(this);
}

void RecScheduler::Leave() {
  std::lock_guard<std::mutex> lock(mu_);
  --preparing_;
  cv_.notify_all();
}

std::vector<RecTask*> RecScheduler::Take(const RecOptions& opt, int* w, bool* full) {
  std::vector<int> widths;
  widths.reserve(queue_.size());
  for (const RecTask* t : queue_) widths.push_back(t->piece.end - t->piece.begin);
  const size_t n = NextBatch(widths.data(), widths.size(), opt, w);
  // Full: as many as the batch can hold, or the width budget ends it before the queue does.
  *full = n == static_cast<size_t>(std::max(1, opt.batchSize)) || (opt.batchWidth > 0 && n < queue_.size());
  return std::vector<RecTask*>(queue_.begin(), queue_.begin() + static_cast<long>(n));
}

void RecScheduler::Run(std::vector<RecTask>& tasks, const RecOptions& opt, const RunBatch& run, Timings& t) {
  RecPage page;
  page.remaining = tasks.size();
  std::unique_lock<std::mutex> lock(mu_);
  --preparing_;
  for (RecTask& task : tasks) {
    task.page = &page;
    queue_.push_back(&task);
  }
  std::stable_sort(queue_.begin(), queue_.end(), [](const RecTask* a, const RecTask* b) {
    return a->piece.end - a->piece.begin > b->piece.end - b->piece.begin;
  });
  cv_.notify_all();
  while (page.remaining > 0) {
    if (running_ || queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    running_ = true;
    int w = 0;
    bool full = false;
    Take(opt, &w, &full);
    // Not full while other pages are still on their way: wait a little for their lines.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double, std::milli>(waitMs_);
    while (!full && preparing_ > 0 && cv_.wait_until(lock, deadline) != std::cv_status::timeout) Take(opt, &w, &full);
    std::vector<RecTask*> batch = Take(opt, &w, &full);
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(batch.size()));
    const bool last = queue_.empty() && preparing_ == 0;
    lock.unlock();
    std::string error;
    try {
      run(batch, w, last, t);
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    bool mixed = false;
    for (RecTask* task : batch) {
      if (!error.empty() && task->page->error.empty()) task->page->error = error;
      --task->page->remaining;
      mixed = mixed || task->page != batch[0]->page;
    }
    ++histogram_[batch.size()];
    if (mixed) ++mixed_;
    running_ = false;
    cv_.notify_all();
  }
  if (!page.error.empty()) throw std::runtime_error(page.error);
}

std::map<size_t, uint64_t> RecScheduler::Histogram() const {
  std::lock_guard<std::mutex> lock(mu_);
  return histogram_;
}

uint64_t RecScheduler::MixedBatches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return mixed_;
}

}  // namespace ocr
