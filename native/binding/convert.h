// JS <-> C++ conversions. Values were validated in TypeScript (src/native/); these only copy.
#pragma once
#include <napi.h>

#include "ocr/options.h"
#include "ocr/types.h"

namespace binding {

ocr::EngineConfig ToEngineConfig(const Napi::Object& o);
// Starts from `base` and overrides the fields present in `o`.
ocr::PipelineOptions ToPipelineOptions(const Napi::Value& v, const ocr::PipelineOptions& base);
Napi::Object FromResult(Napi::Env env, const ocr::Result& r);

}  // namespace binding
