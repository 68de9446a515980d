// Crash triage: a child process's failure, captured and named by its
// signature; real sanitizer reports where the build has the sanitizer.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "fuzz/harness/child_run.h"
#include "fuzz/harness/crash_signature.h"

namespace tcpfuzz::harness {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// A real use after free, in the project's namespace so it is a frame of
// ours; the volatile sink keeps the compiler from dropping the read.
volatile char sink;
[[gnu::noinline]] void read_after_free() {
  char* block = new char[8];
  delete[] block;
  sink = block[3];
}

TEST(ChildRun, ReturnsTheChildsOutputWhenItDoesNotCrash) {
  const ChildOutcome c = run_in_child([](int fd) { write_all(fd, "done"); });
  EXPECT_FALSE(c.crashed);
  EXPECT_EQ(c.output, "done");
}

TEST(ChildRun, KeepsWhatTheChildWroteBeforeItAborted) {
  const ChildOutcome c = run_in_child([](int fd) {
    write_all(fd, "first ");
    std::abort();
  });
  EXPECT_TRUE(c.crashed);
  EXPECT_EQ(c.output, "first ");
  EXPECT_NE(c.how.find("signal 6"), std::string::npos) << c.how;
}

TEST(ChildRun, AChildThatHangsTimesOut) {
  const ChildOutcome c = run_in_child(
      [](int) {
        for (volatile bool forever = true; forever;) {
        }
      },
      {.capture_stderr = false, .timeout_seconds = 1});
  EXPECT_TRUE(c.crashed);
  EXPECT_TRUE(c.timed_out);
  EXPECT_EQ(crash_signature("", c.how, c.timed_out).text, "timeout");
}

TEST(CrashSignature, AnAddressSanitizerReportNamesTheBugAndOurFrames) {
  if (!kAddressSanitizer) GTEST_SKIP() << "this build has no AddressSanitizer";
  const ChildOutcome c = run_in_child([](int) { read_after_free(); }, {.capture_stderr = true});
  ASSERT_TRUE(c.crashed);
  const CrashSignature s = crash_signature(c.report, c.how, c.timed_out);
  EXPECT_TRUE(s.text.starts_with("heap-use-after-free in ")) << s.text;
  EXPECT_NE(s.text.find("read_after_free"), std::string::npos) << s.text << "\n" << c.report;
  EXPECT_EQ(s.id.size(), 8u);
}

TEST(CrashSignature, InvariantFailuresAreNamedByTheInvariantWithoutNumbers) {
  const std::string a =
      "tcpfuzz: TCP invariant violated\nsnd_una > snd_nxt\n  endpoint 3 ESTABLISHED 1.2.3.4:80\n";
  const std::string b =
      "tcpfuzz: TCP invariant violated\nsnd_una > snd_nxt\n  endpoint 9 CLOSE-WAIT 1.2.3.4:81\n";
  const CrashSignature sa = crash_signature(a, "signal 6 (Aborted)", false);
  EXPECT_EQ(sa.text, "invariant: snd_una > snd_nxt");
  EXPECT_EQ(sa.id, crash_signature(b, "signal 6 (Aborted)", false).id);
  const CrashSignature other = crash_signature(
      "tcpfuzz: TCP invariant violated\nrcv_nxt moved backwards\n", "signal 6 (Aborted)", false);
  EXPECT_NE(sa.id, other.id);
}

TEST(CrashSignature, OracleFailuresDropTheNumbersThatVaryBetweenInputs) {
  const CrashSignature a =
      crash_signature("pair_fuzzer: integrity: byte 17 read by the server differs\n  client ...\n",
                      "signal 6", false);
  const CrashSignature b = crash_signature(
      "pair_fuzzer: integrity: byte 4093 read by the server differs\n  client ...\n", "signal 6",
      false);
  EXPECT_EQ(a.text, "pair_fuzzer: integrity: byte N read by the server differs");
  EXPECT_EQ(a.id, b.id);
}

TEST(CrashSignature, UndefinedBehaviourIsNamedByItsKindAndPlace) {
  const CrashSignature s = crash_signature(
      "/src/stack/tcp/endpoint.cc:120:7: runtime error: signed integer overflow: 2147483647 + 1 "
      "cannot be represented in type 'int'\n",
      "exit status 1", false);
  EXPECT_EQ(s.text, "runtime error: signed integer overflow at endpoint.cc:120");
}

TEST(CrashSignature, WithoutAReportTheSignalIsTheSignature) {
  EXPECT_EQ(crash_signature("", "signal 11 (Segmentation fault)", false).text,
            "signal 11 (Segmentation fault)");
}

}  // namespace
}  // namespace tcpfuzz::harness
