#include "binding/convert.h"

#include <cmath>

namespace binding {
namespace {

template <typename T>
void Num(const Napi::Object& o, const char* key, T& out) {
  Napi::Value v = o.Get(key);
  if (v.IsNumber()) out = static_cast<T>(v.As<Napi::Number>().DoubleValue());
}
void Bool(const Napi::Object& o, const char* key, bool& out) {
  Napi::Value v = o.Get(key);
  if (v.IsBoolean()) out = v.As<Napi::Boolean>().Value();
}
void Str(const Napi::Object& o, const char* key, std::string& out) {
  Napi::Value v = o.Get(key);
  if (v.IsString()) out = v.As<Napi::String>().Utf8Value();
}

}  // namespace

ocr::EngineConfig ToEngineConfig(const Napi::Object& o) {
  ocr::EngineConfig c;
  Str(o, "det", c.models.det);
  Str(o, "rec", c.models.rec);
  Str(o, "cls", c.models.cls);
  Str(o, "dict", c.models.dict);
  Num(o, "recHeight", c.models.recHeight);
  Str(o, "executionProvider", c.provider);
  Num(o, "intraOpThreads", c.intraOpThreads);
  Num(o, "deviceId", c.deviceId);
  Bool(o, "reduceOnDevice", c.reduceOnDevice);
  Bool(o, "fuseGraph", c.fuseGraph);
  Bool(o, "intraOpSpinning", c.spinning);
  Bool(o, "crossPageBatching", c.crossPageBatching);
  Num(o, "batchWaitMs", c.batchWaitMs);
  return c;
}

ocr::PipelineOptions ToPipelineOptions(const Napi::Value& v, const ocr::PipelineOptions& base) {
  ocr::PipelineOptions p = base;
  if (!v.IsObject()) return p;
  const Napi::Object o = v.As<Napi::Object>();
  Num(o, "detLimitSideLen", p.det.limitSideLen);
  Num(o, "detTilePixels", p.det.tilePixels);
  Num(o, "detTileOverlap", p.det.tileOverlap);
  Num(o, "detThresh", p.det.thresh);
  Num(o, "detBoxThresh", p.det.boxThresh);
  Num(o, "detUnclipRatio", p.det.unclipRatio);
  Num(o, "detCropUnclipRatio", p.det.cropUnclipRatio);
  Num(o, "detMaxCandidates", p.det.maxCandidates);
  Num(o, "detMinSize", p.det.minSize);
  Bool(o, "useClassifier", p.cls.enabled);
  Num(o, "clsThresh", p.cls.thresh);
  Num(o, "clsBatchSize", p.cls.batchSize);
  Num(o, "recBatchSize", p.rec.batchSize);
  Num(o, "recBatchWidth", p.rec.batchWidth);
  Num(o, "recPieceWidth", p.rec.pieceWidth);
  Num(o, "recPieceOverlap", p.rec.pieceOverlap);
  Num(o, "recMinWidth", p.rec.minWidth);
  Num(o, "recBucketWidth", p.rec.bucketWidth);
  Num(o, "scoreThresh", p.rec.scoreThresh);
  Bool(o, "restoreSpaces", p.rec.restoreSpaces);
  Num(o, "spaceBias", p.rec.spaceBias);
  Bool(o, "fixLatin", p.rec.fixLatin);
  Bool(o, "trace", p.rec.trace);
  Num(o, "lineTolerance", p.lineTolerance);
  Bool(o, "orientation", p.orientation);
  Num(o, "orientationLines", p.orientationLines);
  Num(o, "orientationAspect", p.orientationAspect);
  Num(o, "orientationMargin", p.orientationMargin);
  return p;
}

namespace {

Napi::Array FromQuad(Napi::Env env, const ocr::Quad& q) {
  Napi::Array box = Napi::Array::New(env, 4);
  for (uint32_t k = 0; k < 4; ++k) {
    Napi::Array pt = Napi::Array::New(env, 2);
    pt.Set(0u, Napi::Number::New(env, std::round(q[k].x)));
    pt.Set(1u, Napi::Number::New(env, std::round(q[k].y)));
    box.Set(k, pt);
  }
  return box;
}

}  // namespace

Napi::Object FromResult(Napi::Env env, const ocr::Result& r) {
  Napi::Object out = Napi::Object::New(env);
  Napi::Array lines = Napi::Array::New(env, r.lines.size());
  for (size_t i = 0; i < r.lines.size(); ++i) {
    const ocr::Line& l = r.lines[i];
    Napi::Object line = Napi::Object::New(env);
    line.Set("text", Napi::String::New(env, l.text));
    line.Set("confidence", Napi::Number::New(env, l.confidence));
    line.Set("bbox", FromQuad(env, l.box));
    Napi::Array words = Napi::Array::New(env, l.words.size());
    for (size_t w = 0; w < l.words.size(); ++w) {
      Napi::Object word = Napi::Object::New(env);
      word.Set("text", Napi::String::New(env, l.words[w].text));
      word.Set("confidence", Napi::Number::New(env, l.words[w].confidence));
      word.Set("bbox", FromQuad(env, l.words[w].box));
      words.Set(static_cast<uint32_t>(w), word);
    }
    line.Set("words", words);
    if (!l.trace.empty()) line.Set("trace", Napi::String::New(env, l.trace));
    lines.Set(static_cast<uint32_t>(i), line);
  }
  out.Set("lines", lines);
  out.Set("rotation", Napi::Number::New(env, r.rotation));
  Napi::Array rulings = Napi::Array::New(env, r.rulings.size());
  for (size_t i = 0; i < r.rulings.size(); ++i) {
    Napi::Array seg = Napi::Array::New(env, 4);
    for (uint32_t k = 0; k < 4; ++k) seg.Set(k, Napi::Number::New(env, std::round(r.rulings[i][k])));
    rulings.Set(static_cast<uint32_t>(i), seg);
  }
  out.Set("rulings", rulings);
  Napi::Object t = Napi::Object::New(env);
  t.Set("preprocess", r.timings.preprocess);
  t.Set("det", r.timings.det);
  t.Set("postprocess", r.timings.postprocess);
  t.Set("cls", r.timings.cls);
  t.Set("rec", r.timings.rec);
  t.Set("ortRun", r.timings.ortRun);
  t.Set("total", r.timings.total);
  t.Set("recOutBytes", r.timings.recOutBytes);
  t.Set("rulings", r.timings.rulings);
  out.Set("timings", t);
  return out;
}

}  // namespace binding
