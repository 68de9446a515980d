#include "fuzz/cli/input_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace tcpfuzz::cli {

namespace fs = std::filesystem;

netstack::Expected<std::vector<uint8_t>, std::string> read_input(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return netstack::Unexpected{path + ": is a directory"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return netstack::Unexpected{path + ": " + std::strerror(errno)};
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) return netstack::Unexpected{path + ": read failed"};
  return bytes;
}

netstack::Expected<std::vector<std::string>, std::string> collect_files(
    const std::vector<std::string>& paths, std::string_view extension) {
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        if (e.is_regular_file() && e.path().string().ends_with(extension)) {
          found.push_back(e.path().string());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      return netstack::Unexpected{p + ": no such file or directory"};
    }
  }
  return files;
}

std::string temporary_path(const std::string& path) {
  return path + ".tmp";
}

std::optional<std::string> commit_output(const std::string& path) {
  std::error_code ec;
  fs::rename(temporary_path(path), path, ec);
  if (ec) {
    fs::remove(temporary_path(path), ec);
    return path + ": " + ec.message();
  }
  return std::nullopt;
}

std::optional<std::string> write_output(const std::string& path, const std::string& bytes) {
  {
    std::ofstream out(temporary_path(path), std::ios::binary | std::ios::trunc);
    if (!out) return path + ": " + std::strerror(errno);
    out << bytes;
    out.flush();
    if (!out) {
      std::error_code ec;
      fs::remove(temporary_path(path), ec);
      return path + ": write failed";
    }
  }
  return commit_output(path);
}

netstack::Expected<const harness::Target*, std::string> resolve_target(const std::string& name,
                                                                       const std::string& path) {
  if (!name.empty()) {
    if (const harness::Target* t = harness::find_target(name)) return t;
    return netstack::Unexpected{"unknown target '" + name +
                                "' (targets: " + harness::target_names() + ")"};
  }
  const std::string folder = fs::path(path).parent_path().filename().string();
  if (const harness::Target* t = harness::find_target(folder)) return t;
  return netstack::Unexpected{"--target NAME is needed for " + path +
                              " (targets: " + harness::target_names() + ")"};
}

netstack::Expected<const harness::Target*, std::string> resolve_target_for_paths(
    const std::string& name, const std::vector<std::string>& paths) {
  std::error_code ec;
  const bool folder = !paths.empty() && fs::is_directory(paths.front(), ec);
  return resolve_target(name, folder ? paths.front() + "/" : paths.front());
}

std::optional<TargetInput> load_target_input(std::string_view command,
                                             const std::string& target_name,
                                             const std::string& path) {
  auto target = resolve_target(target_name, path);
  if (!target) {
    std::fprintf(stderr, "tcpfuzz %s: %s\n", std::string(command).c_str(), target.error().c_str());
    return std::nullopt;
  }
  auto input = read_input(path);
  if (!input) {
    std::fprintf(stderr, "%s\n", input.error().c_str());
    return std::nullopt;
  }
  return TargetInput{*target, std::move(*input)};
}

}  // namespace tcpfuzz::cli
