#include "ocr/ort_env.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <mutex>
#include <stdexcept>

namespace ocr {
namespace {

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

void AppendCuda(Ort::SessionOptions& so, int deviceId) {
  const std::string dir = OrtLibraryDir();
  for (const char* lib : {"libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"}) {
    if (!FileExists(dir + "/" + lib)) {
      throw std::runtime_error(std::string("CUDA execution provider unavailable: ") + lib +
                               " not found in " + dir +
                               " (install the CUDA provider libraries beside libonnxruntime.so.1)");
    }
  }
  const OrtApi& api = Ort::GetApi();
  OrtCUDAProviderOptionsV2* cuda = nullptr;
  Ort::ThrowOnError(api.CreateCUDAProviderOptions(&cuda));
  std::unique_ptr<OrtCUDAProviderOptionsV2, decltype(api.ReleaseCUDAProviderOptions)> guard(
      cuda, api.ReleaseCUDAProviderOptions);
  const std::string device = std::to_string(deviceId);
  // HEURISTIC: DEFAULT falls back to slow kernels, EXHAUSTIVE re-searches per new width (GPU.md).
  const char* keys[] = {"device_id", "cudnn_conv_algo_search", "arena_extend_strategy"};
  const char* values[] = {device.c_str(), "HEURISTIC", "kSameAsRequested"};
  Ort::ThrowOnError(api.UpdateCUDAProviderOptions(cuda, keys, values, 3));
  so.AppendExecutionProvider_CUDA_V2(*cuda);
}

}  // namespace

Ort::Env& OrtEnv() {
  static std::once_flag once;
  static Ort::Env* env = nullptr;
  std::call_once(once, [] {
    env = new Ort::Env(ORT_LOGGING_LEVEL_ERROR, "ocr");  // never destroyed: sessions may outlive statics
    // One CPU arena for every session, growing by exactly what is asked (kSameAsRequested) rather
    // than by powers of two. Tensors of a run reuse the memory freed earlier in the same run, and
    // ModelRunner releases the arena's free regions after the last run of each page stage, so
    // neither glibc's fragmentation nor an arena sized for the largest page outlives a page.
    const Ort::ArenaCfg cfg(0, /*kSameAsRequested*/ 1, -1, -1);
    env->CreateAndRegisterAllocator(Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault), cfg);
  });
  return *env;
}

std::string OrtLibraryDir() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&OrtGetApiBase), &info) && info.dli_fname) {
    std::string path(info.dli_fname);
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
  }
  return ".";
}

std::unique_ptr<Ort::Session> CreateSession(const std::string& modelPath, const EngineConfig& config,
                                            const std::vector<ModelEdit>& edits, std::vector<bool>* applied) {
  const std::string& provider = config.provider;
  if (!FileExists(modelPath)) throw std::runtime_error("model file not found: " + modelPath);
  OrtEnv();  // the CUDA provider options need ORT's default logger, which the Env registers
  Ort::SessionOptions so;
  so.SetIntraOpNumThreads(config.intraOpThreads);
  so.SetInterOpNumThreads(1);
  so.SetExecutionMode(ORT_SEQUENTIAL);
  so.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
  // Several worker threads share one session: spinning threads would steal each other's cores.
  // With one engine alone in the process, spinning saves the wake-up between ops.
  so.AddConfigEntry("session.intra_op.allow_spinning", config.spinning ? "1" : "0");
  // CPU tensors come from the Env's shared arena (see OrtEnv). Page sizes and line widths change
  // on every call, so memory patterns cached per shape would only pile up.
  so.AddConfigEntry("session.use_env_allocators", "1");
  so.DisableMemPattern();
  if (provider == "cuda") {
    AppendCuda(so, config.deviceId);
  } else if (provider != "cpu") {
    throw std::runtime_error("unknown execution provider: " + provider + " (expected cpu or cuda)");
  }
  if (applied) applied->assign(edits.size(), false);
  if (!edits.empty()) {
    std::ifstream in(modelPath, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<bool> done(edits.size(), false);
    bool any = false;
    for (size_t k = 0; k < edits.size(); ++k) {
      try {
        bytes = edits[k](bytes);
        done[k] = any = true;
      } catch (const std::exception&) {
        // An unexpected graph: this rewrite is skipped, the others still apply.
      }
    }
    if (any) {
      try {
        auto session = std::make_unique<Ort::Session>(OrtEnv(), bytes.data(), bytes.size(), so);
        if (applied) *applied = done;
        return session;
      } catch (const std::exception&) {
        // ONNX Runtime refused the rewritten graph: the plain model still works, only slower.
      }
    }
  }
  try {
    return std::make_unique<Ort::Session>(OrtEnv(), modelPath.c_str(), so);
  } catch (const Ort::Exception& e) {
    throw std::runtime_error("cannot load model " + modelPath + ": " + e.what());
  }
}

}  // namespace ocr
