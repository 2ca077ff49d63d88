#include "ocr/onnx_fuse.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include "ocr/onnx_proto.h"

namespace ocr {
namespace {

using namespace pb;

struct Attr {
  std::string name, raw, s;
  float f = 0.f;
  int64_t i = 0;
  std::vector<int64_t> ints;
  bool hasF = false;
  std::string tensor;  // a TensorProto payload (t)
};

struct Node {
  std::vector<std::string> in, out;
  std::string op, domain, rest;  // rest: name, doc string, ... kept as they were
  std::vector<Attr> attrs;
  bool dead = false;
  const Attr* Find(const char* n) const {
    for (const auto& a : attrs)
      if (a.name == n) return &a;
    return nullptr;
  }
};

struct Tensor {
  std::vector<int64_t> dims;
  std::vector<float> data;
};

// A float tensor's values; false for other types and for data kept outside the file.
bool ParseFloatTensor(const std::string& s, Tensor& t, std::string* name) {
  int type = 0;
  bool external = false;
  std::string raw;
  std::vector<float> floats;
  for (const Field& f : Fields(s)) {
    if (f.number == kTensorDims) AppendVarints(s, f, t.dims);
    else if (f.number == kTensorDataType && f.wire == 0) type = static_cast<int>(f.value);
    else if (f.number == kTensorName && f.wire == 2 && name) *name = Payload(s, f);
    else if (f.number == kTensorRawData && f.wire == 2) raw = Payload(s, f);
    else if (f.number == kTensorDataLocation && f.wire == 0) external = f.value == 1;
    else if (f.number == kTensorFloatData) {
      if (f.wire == 5) {
        float v;
        const auto bits = static_cast<uint32_t>(f.value);
        std::memcpy(&v, &bits, 4);
        floats.push_back(v);
      } else if (f.wire == 2) {
        const size_t n = (f.dataEnd - f.dataBegin) / 4;
        const size_t at = floats.size();
        floats.resize(at + n);
        std::memcpy(floats.data() + at, s.data() + f.dataBegin, n * 4);
      }
    }
  }
  if (type != kFloat || external) return false;
  size_t count = 1;
  for (int64_t d : t.dims) {
    if (d < 0) return false;
    count *= static_cast<size_t>(d);
  }
  if (!raw.empty()) {
    if (raw.size() != count * 4) return false;
    t.data.resize(count);
    std::memcpy(t.data.data(), raw.data(), raw.size());
  } else {
    if (floats.size() != count) return false;
    t.data = std::move(floats);
  }
  return true;
}

std::string SerializeTensor(const std::string& name, const Tensor& t) {
  std::string out;
  PackedInts(out, kTensorDims, t.dims);
  Int(out, kTensorDataType, kFloat);
  Bytes(out, kTensorName, name);
  std::string raw(t.data.size() * 4, '\0');
  std::memcpy(raw.data(), t.data.data(), raw.size());
  Bytes(out, kTensorRawData, raw);
  return out;
}

// An AttributeProto payload, with the values the rewrites read.
Attr ParseAttr(const std::string& p) {
  Attr a;
  a.raw = p;
  for (const Field& f : Fields(p)) {
    if (f.number == kAttrName && f.wire == 2) a.name = Payload(p, f);
    else if (f.number == kAttrF && f.wire == 5) {
      const auto bits = static_cast<uint32_t>(f.value);
      std::memcpy(&a.f, &bits, 4);
      a.hasF = true;
    } else if (f.number == kAttrI && f.wire == 0) a.i = static_cast<int64_t>(f.value);
    else if (f.number == kAttrS && f.wire == 2) a.s = Payload(p, f);
    else if (f.number == kAttrT && f.wire == 2) a.tensor = Payload(p, f);
    else if (f.number == kAttrInts) AppendVarints(p, f, a.ints);
    else if (f.number == kAttrG || f.number == kAttrGraphs) throw std::runtime_error("graph with subgraphs: not rewritten");
  }
  return a;
}

class Graph {
 public:
  explicit Graph(const std::string& model) : model_(model) {
    bool found = false;
    for (const Field& f : Fields(model_)) {
      if (f.number == kModelGraph && f.wire == 2 && !found) {
        graph_ = f;
        found = true;
      }
    }
    if (!found) throw std::runtime_error("not an ONNX model: no graph");
    for (const Field& g : Fields(model_, graph_.dataBegin, graph_.dataEnd)) {
      if (g.number == kGraphNode && g.wire == 2) {
        nodes_.push_back(ParseNode(Payload(model_, g)));
      } else {
        rest_ += Whole(model_, g);
        if (g.number == kGraphInitializer && g.wire == 2) {
          Tensor t;
          std::string name;
          if (ParseFloatTensor(Payload(model_, g), t, &name)) consts_[name] = std::move(t);
          names_.insert(name);
        } else if (g.number == kGraphOutput && g.wire == 2) {
          const std::string v = Payload(model_, g);
          for (const Field& vf : Fields(v))
            if (vf.number == kValueName && vf.wire == 2) outputs_.insert(Payload(v, vf));
        }
      }
    }
    for (const Node& n : nodes_) {
      for (const auto& o : n.out) names_.insert(o);
      if (n.op == "Constant" && n.domain.empty() && n.out.size() == 1) {
        const Attr* v = n.Find("value");
        Tensor t;
        if (v && !v->tensor.empty() && ParseFloatTensor(v->tensor, t, nullptr)) consts_[n.out[0]] = std::move(t);
      }
    }
  }

  std::string Serialize() const {
    std::string graph;
    for (const Node& n : nodes_) {
      if (n.dead) continue;
      std::string b;
      for (const auto& i : n.in) Bytes(b, kNodeInput, i);
      for (const auto& o : n.out) Bytes(b, kNodeOutput, o);
      Bytes(b, kNodeOpType, n.op);
      if (!n.domain.empty()) Bytes(b, kNodeDomain, n.domain);
      for (const auto& a : n.attrs) Bytes(b, kNodeAttribute, a.raw);
      b += n.rest;
      Bytes(graph, kGraphNode, b);
    }
    graph += rest_;
    for (const auto& [name, t] : added_) Bytes(graph, kGraphInitializer, SerializeTensor(name, t));
    std::string out;
    bool done = false;
    for (const Field& f : Fields(model_)) {
      if (f.number == kModelGraph && f.wire == 2 && !done) {
        Bytes(out, kModelGraph, graph);
        done = true;
      } else {
        out += Whole(model_, f);
      }
    }
    return out;
  }

  std::vector<Node>& nodes() { return nodes_; }

  // Consumers of every value, counted over live nodes; graph outputs count as a consumer too.
  void Index() {
    users_.clear();
    for (Node& n : nodes_) {
      if (n.dead) continue;
      for (const auto& i : n.in)
        if (!i.empty()) users_[i].push_back(&n);
    }
  }
  // The one node that reads `name`, when nothing else (no other node, no graph output) does.
  Node* Sole(const std::string& name) {
    if (outputs_.count(name)) return nullptr;
    const auto it = users_.find(name);
    return it != users_.end() && it->second.size() == 1 ? it->second[0] : nullptr;
  }
  const Tensor* Const(const std::string& name) const {
    const auto it = consts_.find(name);
    return it == consts_.end() ? nullptr : &it->second;
  }
  bool Scalar(const std::string& name, float& v) const {
    const Tensor* t = Const(name);
    if (!t || t->data.size() != 1) return false;
    v = t->data[0];
    return true;
  }
  // A new initializer; returns its (unique) name.
  std::string Add(const std::string& base, Tensor t) {
    std::string name = base + "_ocr";
    for (int k = 1; names_.count(name); ++k) name = base + "_ocr" + std::to_string(k);
    names_.insert(name);
    consts_[name] = t;
    added_.emplace_back(name, std::move(t));
    return name;
  }

 private:
  static Node ParseNode(const std::string& s) {
    Node n;
    for (const Field& f : Fields(s)) {
      if (f.number == kNodeInput && f.wire == 2) n.in.push_back(Payload(s, f));
      else if (f.number == kNodeOutput && f.wire == 2) n.out.push_back(Payload(s, f));
      else if (f.number == kNodeOpType && f.wire == 2) n.op = Payload(s, f);
      else if (f.number == kNodeDomain && f.wire == 2) n.domain = Payload(s, f);
      else if (f.number == kNodeAttribute && f.wire == 2) n.attrs.push_back(ParseAttr(Payload(s, f)));
      else n.rest += Whole(s, f);
    }
    if (n.domain == "ai.onnx") n.domain.clear();
    return n;
  }

  const std::string& model_;
  Field graph_;
  std::vector<Node> nodes_;
  std::string rest_;
  std::map<std::string, Tensor> consts_;
  std::vector<std::pair<std::string, Tensor>> added_;
  std::set<std::string> names_, outputs_;
  std::map<std::string, std::vector<Node*>> users_;
};

bool Is(const Node* n, const char* op) { return n && !n->dead && n->op == op && n->domain.empty(); }

// For a binary node with exactly one scalar constant input: the other input and the scalar.
bool ScalarOperand(const Graph& g, const Node& n, std::string& x, float& v) {
  if (n.in.size() != 2) return false;
  float a, b;
  const bool sa = g.Scalar(n.in[0], a), sb = g.Scalar(n.in[1], b);
  if (sa == sb) return false;
  x = sa ? n.in[1] : n.in[0];
  v = sa ? a : b;
  return true;
}

// A 2-D convolution's weights and bias (zeros when it has none).
bool ConvParams(const Graph& g, const Node& conv, const Tensor*& w, std::vector<float>& bias) {
  if (conv.in.size() < 2) return false;
  w = g.Const(conv.in[1]);
  if (!w || w->dims.size() != 4) return false;
  const auto cout = static_cast<size_t>(w->dims[0]);
  if (conv.in.size() > 2 && !conv.in[2].empty()) {
    const Tensor* b = g.Const(conv.in[2]);
    if (!b || b->data.size() != cout) return false;
    bias = b->data;
  } else {
    bias.assign(cout, 0.f);
  }
  return true;
}

void SetConvParams(Graph& g, Node& conv, Tensor w, std::vector<float> bias) {
  const std::string base = conv.out.empty() ? std::string("conv") : conv.out[0];
  Tensor b;
  b.dims = {static_cast<int64_t>(bias.size())};
  b.data = std::move(bias);
  const std::string wn = g.Add(base + "_w", std::move(w));
  const std::string bn = g.Add(base + "_b", std::move(b));
  conv.in.resize(3);
  conv.in[1] = wn;
  conv.in[2] = bn;
}

// Conv -> Mul(a) [-> Add(b)]: W' = a W, bias' = a bias + b.
int FoldAffineIntoConv(Graph& g) {
  int n = 0;
  g.Index();
  for (Node& conv : g.nodes()) {
    if (!Is(&conv, "Conv") || conv.out.size() != 1) continue;
    const Tensor* w;
    std::vector<float> bias;
    if (!ConvParams(g, conv, w, bias)) continue;
    Node* mul = g.Sole(conv.out[0]);
    std::string x;
    float a, b = 0.f;
    if (!Is(mul, "Mul") || !ScalarOperand(g, *mul, x, a) || x != conv.out[0]) continue;
    Node* add = g.Sole(mul->out[0]);
    if (!(Is(add, "Add") && ScalarOperand(g, *add, x, b) && x == mul->out[0])) {
      add = nullptr;
      b = 0.f;
    }
    Tensor nw = *w;
    for (float& v : nw.data) v *= a;
    for (float& v : bias) v = v * a + b;
    SetConvParams(g, conv, std::move(nw), std::move(bias));
    Node* last = add ? add : mul;
    conv.out[0] = last->out[0];
    mul->dead = true;
    if (add) add->dead = true;
    g.Index();
    ++n;
  }
  return n;
}

// Clip's bounds: attributes before opset 11, optional inputs after.
bool ClipBounds(const Graph& g, const Node& clip, float& lo, float& hi) {
  lo = -std::numeric_limits<float>::infinity();
  hi = std::numeric_limits<float>::infinity();
  if (const Attr* a = clip.Find("min"); a && a->hasF) lo = a->f;
  if (const Attr* a = clip.Find("max"); a && a->hasF) hi = a->f;
  if (clip.in.size() > 1 && !clip.in[1].empty() && !g.Scalar(clip.in[1], lo)) return false;
  if (clip.in.size() > 2 && !clip.in[2].empty() && !g.Scalar(clip.in[2], hi)) return false;
  return true;
}

// Add(x, 3) -> Clip(0, 6) -> Mul(x, .) -> Div(6): x * HardSigmoid(x; 1/6, 1/2).
int FuseHardSwish(Graph& g) {
  int n = 0;
  g.Index();
  for (Node& add : g.nodes()) {
    std::string x, t;
    float c, lo, hi, d;
    if (!Is(&add, "Add") || !ScalarOperand(g, add, x, c) || c != 3.f || add.out.size() != 1) continue;
    Node* clip = g.Sole(add.out[0]);
    if (!Is(clip, "Clip") || clip->in[0] != add.out[0] || !ClipBounds(g, *clip, lo, hi) || lo != 0.f || hi != 6.f) continue;
    Node* mul = g.Sole(clip->out[0]);
    if (!Is(mul, "Mul") || mul->in.size() != 2) continue;
    const bool pair = (mul->in[0] == x && mul->in[1] == clip->out[0]) || (mul->in[1] == x && mul->in[0] == clip->out[0]);
    if (!pair) continue;
    Node* div = g.Sole(mul->out[0]);
    if (!Is(div, "Div") || div->in.size() != 2 || div->in[0] != mul->out[0] || !g.Scalar(div->in[1], d) || d != 6.f) continue;
    // The Add becomes the HardSigmoid (its output name kept), the Mul reads it and takes the Div's output.
    add.op = "HardSigmoid";
    add.in = {x};
    add.attrs = {ParseAttr(FloatAttr("alpha", 1.f / 6.f)), ParseAttr(FloatAttr("beta", 0.5f))};
    mul->in = {x, add.out[0]};
    mul->out = div->out;
    clip->dead = true;
    div->dead = true;
    g.Index();
    ++n;
  }
  return n;
}

// The Mul(a) -> Add(b) pair that starts at `mul`, and the one node reading its result.
bool AffinePair(Graph& g, Node& mul, std::string& x, float& a, float& b, Node*& add, Node*& next) {
  if (!Is(&mul, "Mul") || !ScalarOperand(g, mul, x, a) || g.Const(x) || mul.out.size() != 1) return false;
  add = g.Sole(mul.out[0]);
  std::string y;
  if (!Is(add, "Add") || !ScalarOperand(g, *add, y, b) || y != mul.out[0] || add->out.size() != 1) return false;
  next = g.Sole(add->out[0]);
  return next != nullptr;
}

bool PlainPointwise(const Node& conv, const Tensor& w) {
  if (w.dims[2] != 1 || w.dims[3] != 1) return false;
  if (const Attr* gr = conv.Find("group"); gr && gr->i != 1) return false;
  if (const Attr* p = conv.Find("pads"))
    for (int64_t v : p->ints)
      if (v != 0) return false;
  if (const Attr* ap = conv.Find("auto_pad"); ap && ap->s != "NOTSET" && ap->s != "VALID") return false;
  return true;
}

// Mul(a) -> Add(b) -> 1x1 Conv (no padding): W' = a W, bias'[o] = bias[o] + b * sum_i W[o, i].
int FoldAffineIntoPointwise(Graph& g) {
  int n = 0;
  g.Index();
  for (Node& mul : g.nodes()) {
    std::string x;
    float a, b;
    Node *add, *conv;
    if (!AffinePair(g, mul, x, a, b, add, conv)) continue;
    const Tensor* w;
    std::vector<float> bias;
    if (!Is(conv, "Conv") || conv->in[0] != add->out[0] || !ConvParams(g, *conv, w, bias) || !PlainPointwise(*conv, *w)) continue;
    const auto cout = static_cast<size_t>(w->dims[0]);
    const size_t per = w->data.size() / cout;
    Tensor nw = *w;
    for (size_t o = 0; o < cout; ++o) {
      double sum = 0;
      for (size_t i = 0; i < per; ++i) sum += w->data[o * per + i];
      bias[o] += static_cast<float>(b * sum);
      for (size_t i = 0; i < per; ++i) nw.data[o * per + i] *= a;
    }
    SetConvParams(g, *conv, std::move(nw), std::move(bias));
    conv->in[0] = x;
    mul.dead = true;
    add->dead = true;
    g.Index();
    ++n;
  }
  return n;
}

// Channels of 4-D values produced by 2-D convolutions and the element-wise ops after them.
std::map<std::string, int64_t> Channels(Graph& g) {
  std::map<std::string, int64_t> ch;
  static const std::set<std::string> unary = {"Relu", "HardSigmoid", "Sigmoid", "Clip", "HardSwish", "LeakyRelu",
                                              "Tanh", "Identity", "BatchNormalization"};
  static const std::set<std::string> binary = {"Add", "Mul", "Sub", "Div"};
  for (const Node& n : g.nodes()) {
    if (n.dead || !n.domain.empty() || n.out.empty() || n.in.empty()) continue;
    if (n.op == "Conv") {
      const Tensor* w = n.in.size() > 1 ? g.Const(n.in[1]) : nullptr;
      if (w && w->dims.size() == 4) ch[n.out[0]] = w->dims[0];
    } else if (unary.count(n.op)) {
      if (const auto it = ch.find(n.in[0]); it != ch.end()) ch[n.out[0]] = it->second;
    } else if (binary.count(n.op) && n.in.size() == 2) {
      const auto a = ch.find(n.in[0]), b = ch.find(n.in[1]);
      float s;
      if (a != ch.end() && b != ch.end() && a->second == b->second) ch[n.out[0]] = a->second;
      else if (a != ch.end() && g.Scalar(n.in[1], s)) ch[n.out[0]] = a->second;
      else if (b != ch.end() && g.Scalar(n.in[0], s)) ch[n.out[0]] = b->second;
    }
  }
  return ch;
}

// Mul(a) -> Add(b) -> Conv, where the Conv cannot absorb it (padding): one depthwise 1x1 Conv with
// weight a and bias b per channel, which stays in ONNX Runtime's blocked layout.
int AffineAsDepthwise(Graph& g) {
  int n = 0;
  g.Index();
  const auto ch = Channels(g);
  for (Node& mul : g.nodes()) {
    std::string x;
    float a, b;
    Node *add, *next;
    if (!AffinePair(g, mul, x, a, b, add, next) || !Is(next, "Conv")) continue;
    const auto it = ch.find(x);
    if (it == ch.end() || it->second <= 0) continue;
    const int64_t c = it->second;
    Tensor w, bias;
    w.dims = {c, 1, 1, 1};
    w.data.assign(static_cast<size_t>(c), a);
    bias.dims = {c};
    bias.data.assign(static_cast<size_t>(c), b);
    const std::string wn = g.Add(add->out[0] + "_w", std::move(w));
    const std::string bn = g.Add(add->out[0] + "_b", std::move(bias));
    mul.op = "Conv";
    mul.in = {x, wn, bn};
    mul.out = add->out;
    mul.attrs = {ParseAttr(IntAttr("group", c)), ParseAttr(IntsAttr("kernel_shape", {1, 1}))};
    add->dead = true;
    g.Index();
    ++n;
  }
  return n;
}

// GELU written out as Div(x, c) -> Erf -> Add(1) -> Mul(x, .) -> Mul(0.5), where c is √2 rounded to
// float16 (1.4140625, a float16 model widened at load): ONNX Runtime fuses the pattern into its
// Gelu kernel only when c is √2 itself, so c is set back to √2. That is the official float32 model's
// constant; the erf argument changes by 1e-4 relative, well under the weights' own float16 rounding.
int RestoreGeluSqrt2(Graph& g) {
  constexpr float kSqrt2 = 1.41421356f;
  constexpr float kHalfUlp = 1.f / 2048.f;  // half a float16 step between 1 and 2
  int n = 0;
  g.Index();
  for (Node& div : g.nodes()) {
    std::string x, y;
    float c, one, half;
    if (!Is(&div, "Div") || div.in.size() != 2 || div.out.size() != 1 || !g.Scalar(div.in[1], c)) continue;
    if (c == kSqrt2 || std::fabs(c - kSqrt2) > kHalfUlp) continue;
    x = div.in[0];
    Node* erf = g.Sole(div.out[0]);
    if (!Is(erf, "Erf")) continue;
    Node* add = g.Sole(erf->out[0]);
    if (!Is(add, "Add") || !ScalarOperand(g, *add, y, one) || one != 1.f) continue;
    Node* mul = g.Sole(add->out[0]);
    if (!Is(mul, "Mul") || mul->in.size() != 2) continue;
    const std::string other = mul->in[0] == add->out[0] ? mul->in[1] : mul->in[0];
    if (other != x) continue;
    Node* scale = g.Sole(mul->out[0]);
    if (!Is(scale, "Mul") || !ScalarOperand(g, *scale, y, half) || half != 0.5f) continue;
    Tensor t;
    t.data = {kSqrt2};
    div.in[1] = g.Add(div.out[0] + "_sqrt2", std::move(t));
    ++n;
  }
  return n;
}

}  // namespace

std::string FuseActivations(const std::string& model, FuseCounts* counts) {
  Graph g(model);
  FuseCounts c;
  c.convAffine = FoldAffineIntoConv(g);
  c.hardSwish = FuseHardSwish(g);
  c.affineInto1x1 = FoldAffineIntoPointwise(g);
  c.affineDepthwise = AffineAsDepthwise(g);
  c.geluSqrt2 = RestoreGeluSqrt2(g);
  if (counts) *counts = c;
  return g.Serialize();
}

}  // namespace ocr
