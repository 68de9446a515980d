// Fuzz-harness cost: the time one input takes in each fuzz target, measured
// on the target's committed corpus without any fuzzing engine around it.
// Each iteration runs the whole corpus once; items/s is inputs per second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/harness/targets.h"

namespace {

using Input = std::vector<uint8_t>;

std::vector<Input> load_corpus(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Input> inputs;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return inputs;
}

void run_corpus(benchmark::State& state, const tcpfuzz::harness::Target* target,
                const std::vector<Input>& corpus) {
  size_t bytes = 0;
  for (const Input& input : corpus) bytes += input.size();
  for (auto _ : state) {
    for (const Input& input : corpus) target->run(input);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["inputs"] = static_cast<double>(corpus.size());
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  // The corpus root: TCPFUZZ_CORPUS, or the source tree's corpus/.
  const char* root_env = std::getenv("TCPFUZZ_CORPUS");
  const std::filesystem::path root = root_env != nullptr ? root_env : TCPFUZZ_CORPUS_DIR;
  std::vector<std::vector<Input>> corpora;
  corpora.reserve(tcpfuzz::harness::targets().size());
  for (const auto& target : tcpfuzz::harness::targets()) {
    const auto dir = root / target.name;
    if (!std::filesystem::is_directory(dir)) {
      std::fprintf(stderr, "harness_bench: skipping %s: no corpus folder %s\n",
                   std::string(target.name).c_str(), dir.c_str());
      continue;
    }
    corpora.push_back(load_corpus(dir));
    benchmark::RegisterBenchmark(("harness/" + std::string(target.name)).c_str(), run_corpus,
                                 &target, corpora.back())
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
