// Reading inputs and writing outputs for the tcpfuzz commands: whole files,
// one-line errors naming the file, and outputs that appear complete or not
// at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/harness/targets.h"
#include "stack/util/expected.h"

namespace tcpfuzz::cli {

// The file's bytes, or "PATH: reason".
netstack::Expected<std::vector<uint8_t>, std::string> read_input(const std::string& path);

// Files named directly, plus every file under folders named whose name ends
// in `extension` ("" for all), sorted per folder; or "PATH: no such file or
// directory".
netstack::Expected<std::vector<std::string>, std::string> collect_files(
    const std::vector<std::string>& paths, std::string_view extension);

// Writes `bytes` to PATH.tmp and renames it over PATH; the error, if any.
std::optional<std::string> write_output(const std::string& path, const std::string& bytes);

// PATH.tmp, to be renamed over PATH once complete.
std::string temporary_path(const std::string& path);
std::optional<std::string> commit_output(const std::string& path);

// --target NAME, or else the target the input's folder is named after
// (corpus/<target>/..., corpus/regressions/<target>/...).
netstack::Expected<const harness::Target*, std::string> resolve_target(const std::string& name,
                                                                       const std::string& path);

// The same for commands that take files and folders: a first path that is
// a folder named after a target names it.
netstack::Expected<const harness::Target*, std::string> resolve_target_for_paths(
    const std::string& name, const std::vector<std::string>& paths);

// One input of one target, for the commands that take a single INPUT.
struct TargetInput {
  const harness::Target* target;
  std::vector<uint8_t> bytes;
};
// Resolves the target and reads the input; on failure prints the one-line
// error ("tcpfuzz COMMAND: ..." or "PATH: reason") and returns nullopt.
std::optional<TargetInput> load_target_input(std::string_view command,
                                             const std::string& target_name,
                                             const std::string& path);

}  // namespace tcpfuzz::cli
