// The runner's record: what `tcpfuzz diff` hands the kernel, and what its
// minimiser replays (record-only) while it drops events.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fuzz/scenario/pkt_parser.h"
#include "fuzz/scenario/pkt_writer.h"
#include "fuzz/scenario/runner.h"

namespace tcpfuzz::scenario {
namespace {

std::vector<std::string> lines(const Scenario& s) {
  std::vector<std::string> out;
  for (const Event& e : s.events) out.push_back(format_event(e));
  return out;
}

Scenario recorded(const Scenario& s, bool record_only) {
  RunOptions options;
  options.record = true;
  options.record_only = record_only;
  RunResult r = run_scenario(s, options);
  EXPECT_EQ(r.status, RunResult::Status::kPass) << r.message;
  return r.recorded;
}

Scenario without_outbound(Scenario s) {
  std::erase_if(s.events, [](const Event& e) {
    const auto* p = std::get_if<PacketSpec>(&e.action);
    return p != nullptr && p->direction == PacketSpec::Direction::kOutbound;
  });
  return s;
}

TEST(Record, HoldsEveryPacketSentWithItsTimeAndTheCallsWithTheirResults) {
  auto script =
      parse_script_file(std::string(TCPFUZZ_SOURCE_DIR) + "/corpus/scripts/close/active-close.pkt");
  ASSERT_TRUE(script) << script.error();
  const std::vector<std::string> record = lines(recorded(*script, false));
  // The SYN-ACK the script writes only as "S. 0:0(0) ack 1 <...>" comes out
  // whole, with the live TSval and the time it was sent.
  ASSERT_FALSE(record.empty());
  bool syn_ack = false;
  for (const std::string& l : record) {
    if (l.starts_with("0 > S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val ")) syn_ack = true;
  }
  EXPECT_TRUE(syn_ack);
  EXPECT_NE(std::ranges::find(record, "0.1 accept(3, ..., ...) = 4"), record.end());
}

TEST(Record, ReplayingTheInboundLinesAndCallsRecordOnlyGivesTheSameRun) {
  for (const char* name : {"close/active-close.pkt", "data/out-of-order-sack.pkt",
                           "retransmit/rto-backoff.pkt", "handshake/active-open-nonblocking.pkt"}) {
    auto script = parse_script_file(std::string(TCPFUZZ_SOURCE_DIR) + "/corpus/scripts/" + name);
    ASSERT_TRUE(script) << script.error();
    const Scenario first = recorded(*script, false);
    EXPECT_EQ(lines(recorded(without_outbound(first), true)), lines(first)) << name;
  }
}

TEST(Record, RecordOnlyKeepsWhatTheStackDoesInsteadOfFailing) {
  // The script expects a SYN-ACK with the wrong window; record-only runs
  // ignore outbound lines and record what was really sent.
  auto script = parse_script(
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "+0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0\n"
      "+0 bind(3, ..., ...) = 0\n+0 listen(3, 1) = 0\n"
      "+0 < S 0:0(0) win 65535 <mss 1460>\n"
      "+0 > S. 0:0(0) ack 1 win 1 <mss 1460>\n"
      "+0 read(3, ..., 10) = 99\n",
      "t.pkt");
  ASSERT_TRUE(script);
  RunOptions options;
  EXPECT_EQ(run_scenario(*script, options).status, RunResult::Status::kFail);
  const std::vector<std::string> record = lines(recorded(*script, true));
  ASSERT_EQ(record.size(), 7u);
  EXPECT_EQ(record[5], "0 > S. 0:0(0) ack 1 win 64240 <mss 1460>");
  EXPECT_EQ(record[6], "0 read(3, ..., 10) = -1 ENOTCONN (Transport endpoint is not connected)");
}

TEST(Record, AnOlderSocketsSynLeftUnreadEndsWhatCanBeStated) {
  // Socket 3's SYN is answered by a bad ACK, so it goes again 2 ms later,
  // while socket 4 (not connecting) is the one under test: packetdrill does
  // not read it then, and takes it for socket 5's SYN once that connects.
  const char* text =
      "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
      "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
      "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
      "+0 > S 0:0(0) <...>\n"
      "+0 < . 1000:1000(0) ack 4294962809 win 92\n"
      "+0 > R 4294962809:4294962809(0) win 0\n"
      "+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4\n"
      "+.2 socket(..., SOCK_STREAM, IPPROTO_TCP) = 5\n"
      "+0 fcntl(5, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
      "+0 connect(5, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n";
  auto script = parse_script(text, "t.pkt");
  ASSERT_TRUE(script.has_value());
  RunOptions options;
  options.record = true;
  options.record_only = true;
  const RunResult r = run_scenario(*script, options);
  ASSERT_TRUE(r.unscriptable.has_value());
  EXPECT_NE(r.unscriptable->what.find("older socket's SYN"), std::string::npos)
      << r.unscriptable->what;
  // Without the bad ACK there is no retransmission to leave unread.
  std::string quiet = text;
  quiet.erase(
      quiet.find("+0 < . 1000"),
      quiet.find("+0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 4") - quiet.find("+0 < . 1000"));
  auto calm = parse_script(quiet, "t.pkt");
  ASSERT_TRUE(calm.has_value());
  const RunResult q = run_scenario(*calm, options);
  EXPECT_FALSE(q.unscriptable.has_value()) << q.unscriptable->what;
}

}  // namespace
}  // namespace tcpfuzz::scenario
