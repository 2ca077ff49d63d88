// Recognition batches across pages (issue 14): the line pieces of every page in flight on one
// engine, from any worker thread, go into shared batches, so a GPU sees full batches of 64 lines
// where one page alone has a few. No thread of its own: a page thread waiting for its lines runs
// the next batch itself, whoever's lines it holds, and hands the results back to their pages.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "ocr/ctc.h"
#include "ocr/options.h"
#include "ocr/pieces.h"
#include "ocr/types.h"

namespace ocr {

struct RecPage;  // a submitting page's progress (rec_scheduler.cc)

// One piece of one line, and what the recognizer read in it.
struct RecTask {
  const cv::Mat* line = nullptr;  // the line scaled to the model's height (CV_8UC3)
  Piece piece;
  std::vector<CharHit> decoded;   // filled by the batch that ran it, in the line's pixels
  RecPage* page = nullptr;        // set by RecScheduler
};

// Width-first batches: the widest items, at most batchSize and batchWidth padded columns.
// Returns how many of the first `count` widths (sorted, widest first) go into the next batch,
// and the padded width w of that batch.
size_t NextBatch(const int* widths, size_t count, const RecOptions& opt, int* w);

class RecScheduler {
 public:
  // Runs one batch: every task of `batch` padded to `width` columns, decoded into task->decoded.
  // May throw; the error goes to every page with a task in the batch.
  using RunBatch = std::function<void(const std::vector<RecTask*>& batch, int width, bool last, Timings& t)>;

  // waitMs: how long the thread about to run a batch that is not full waits for other pages'
  // lines, while pages announced by Enter() have not submitted theirs yet.
  explicit RecScheduler(double waitMs) : waitMs_(waitMs) {}

  // A page in the pipeline, from its start (Enter) until it submits its lines (Run) or leaves
  // without (its destructor): batches wait a little for the lines of pages still on their way.
  class Ticket {
   public:
    Ticket() = default;
    explicit Ticket(RecScheduler* s) : s_(s) {}
    Ticket(Ticket&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (s_) s_->Leave();
    }
    bool active() const { return s_ != nullptr; }
    // Submits the page's tasks and returns when all of them are decoded. Throws
    // std::runtime_error when a batch holding one of them failed.
    void Run(std::vector<RecTask>& tasks, const RecOptions& opt, const RunBatch& run, Timings& t) {
      RecScheduler* s = s_;
      s_ = nullptr;
      s->Run(tasks, opt, run, t);
    }

   private:
    RecScheduler* s_ = nullptr;
  };
  Ticket Enter();

  // Batches run so far, by number of pieces in the batch; and how many held more than one page.
  std::map<size_t, uint64_t> Histogram() const;
  uint64_t MixedBatches() const;

 private:
  void Leave();
  void Run(std::vector<RecTask>& tasks, const RecOptions& opt, const RunBatch& run, Timings& t);
  std::vector<RecTask*> Take(const RecOptions& opt, int* w, bool* full);

  const double waitMs_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<RecTask*> queue_;  // submitted, not yet taken; widest first
  int preparing_ = 0;            // pages entered but not yet submitted
  bool running_ = false;         // a batch is being run (one at a time: one device stream)
  std::map<size_t, uint64_t> histogram_;
  uint64_t mixed_ = 0;
};

}  // namespace ocr
