// Reading packetdrill's reports and the documented list of known differences.
#include "fuzz/diff/divergence.h"

#include <gtest/gtest.h>

#include "fuzz/diff/known_differences.h"

namespace tcpfuzz::diff {
namespace {

TEST(PacketdrillReport, TakesTheFirstErrorAndBothPackets) {
  // As packetdrill 2.0 printed it on Linux 6.18 (its report follows the
  // script's last output without a newline).
  const auto d = parse_packetdrill_report(
      "some output a.pkt:16: error handling packet: live packet field tcp_window: "
      "expected: 503 (0x1f7) vs actual: 501 (0x1f5)\n"
      "script packet:  0.004692 . 501:501(0) ack 256 win 503\n"
      "actual packet:  0.004691 . 501:501(0) ack 256 win 501\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->line, 16);
  EXPECT_EQ(d->what, "window");
  EXPECT_EQ(d->ours, "0.004692 . 501:501(0) ack 256 win 503");
  EXPECT_EQ(d->linux_sent, "0.004691 . 501:501(0) ack 256 win 501");
  EXPECT_EQ(d->message.rfind("error handling packet: live packet field tcp_window", 0), 0u);
}

TEST(PacketdrillReport, ClassifiesEachKindOfError) {
  EXPECT_EQ(classify("error handling packet: live packet field tcp_ack_seq: expected: 1"),
            "ack_seq");
  EXPECT_EQ(classify("error handling packet: live packet field ipv4_total_length: expected"),
            "length");
  EXPECT_EQ(classify("error handling packet: bad outbound TCP options"), "options");
  EXPECT_EQ(classify("error handling packet: Timed out waiting for packet"), "missing");
  EXPECT_EQ(classify("error handling packet: timing error: expected outbound packet at 1"),
            "timing");
  EXPECT_EQ(classify("runtime error in read call: Expected result 0 but got -1"), "result");
  EXPECT_EQ(classify("something new"), "other");
}

// A length or option difference is named by what differs, so that one
// documented difference cannot stand for another of the same kind.
TEST(PacketdrillReport, NamesTheOptionThatDiffers) {
  const auto report = [](const char* ours, const char* theirs) {
    return parse_packetdrill_report(
        std::string("a.pkt:9: error handling packet: live packet field ipv4_total_length: "
                    "expected: 52 (0x34) vs actual: 40 (0x28)\nscript packet:  ") +
        ours + "\nactual packet:  " + theirs + "\n");
  };
  EXPECT_EQ(
      report("0.1 . 1:1(0) ack 1 win 509 <nop,nop,TS val 5 ecr 0>", "0.1 . 1:1(0) ack 1 win 509")
          ->what,
      "ts");
  EXPECT_EQ(report("0.2 . 1:1(0) ack 1 win 510 <nop,nop,TS val 5 ecr 0,nop,nop,sack 14:15>",
                   "0.2 . 1:1(0) ack 1 win 510 <nop,nop,TS val 5 ecr 0,nop,nop,sack 14:15 14:15>")
                ->what,
            "sack");
  // Our D-SACK in front of the same blocks (inside the next, or below the
  // ACK); not another SACK block, nor one Linux sent and we did not.
  EXPECT_EQ(report("0.2 . 1:1(0) ack 1 win 502 <nop,nop,sack 1134:1179 879:1389 5:7>",
                   "0.2 . 1:1(0) ack 1 win 502 <nop,nop,sack 879:1389 5:7>")
                ->what,
            "dsack-omitted");
  EXPECT_EQ(
      report("0.2 . 1:1(0) ack 256 win 502 <nop,nop,sack 101:102>", "0.2 . 1:1(0) ack 256 win 502")
          ->what,
      "dsack-omitted");
  EXPECT_EQ(report("0.2 . 1:1(0) ack 1 win 502 <nop,nop,sack 2000:2100 879:1389>",
                   "0.2 . 1:1(0) ack 1 win 502 <nop,nop,sack 879:1389>")
                ->what,
            "sack");
  EXPECT_EQ(
      report("0.2 . 1:1(0) ack 256 win 502", "0.2 . 1:1(0) ack 256 win 502 <nop,nop,sack 101:102>")
          ->what,
      "sack");
  EXPECT_EQ(report("0.3 . 1:13(12) ack 1 win 510", "0.3 . 1:513(512) ack 1 win 510")->what,
            "payload");
  EXPECT_EQ(report("0.4 . 1:1(0) ack 1 win 510 <nop,wscale 7>",
                   "0.4 . 1:1(0) ack 1 win 510 <nop,nop,nop,wscale 7>")
                ->what,
            "length");
}

TEST(PacketdrillReport, TimingSaysWhetherLinuxWasEarlyOrByHowMuchLate) {
  const auto report = [](const char* expected, const char* happened) {
    return parse_packetdrill_report(
        std::string("a.pkt:9: error handling packet: timing error: expected outbound packet at ") +
        expected + " sec but happened at " + happened + " sec; tolerance 0.010000 sec\n");
  };
  EXPECT_EQ(report("0.715080", "0.729526")->what, "lag");
  EXPECT_EQ(report("0.720217", "1.059804")->what, "late");
  EXPECT_EQ(report("0.206126", "0.105941")->what, "early");
}

TEST(PacketdrillReport, PollNamesTheEventsThatDiffer) {
  const auto d = parse_packetdrill_report(
      "a.pkt:58: runtime error in poll call: Expected revents of POLLIN but got "
      "POLLIN|POLLOUT for pollfd 0\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->what, "revents-pollout");
}

TEST(PacketdrillReport, NoLineMeansNoDivergence) {
  EXPECT_FALSE(parse_packetdrill_report("open tun device: Operation not permitted\n"));
  EXPECT_FALSE(parse_packetdrill_report(""));
}

TEST(KnownDifferences, ReadsTheRowsOfItsSectionOnly) {
  const std::string doc =
      "# Title\n| `not.this` | other table | x |\n"
      "## Known to tcpfuzz diff\ntext\n| Signature | Difference | Why |\n| --- | --- | --- |\n"
      "| `timing.syn` | SYN resent later | ticks |\n| `length.ack` | SACK of a FIN | todo |\n"
      "## Next\n| `not.this.either` | x | y |\n";
  const auto known = parse_known_differences(doc, "doc.md");
  ASSERT_TRUE(known);
  ASSERT_EQ(known->size(), 2u);
  EXPECT_EQ((*known)[0].signature, "timing.syn");
  EXPECT_EQ((*known)[0].summary, "SYN resent later");
  EXPECT_NE(find_known(*known, "length.ack"), nullptr);
  EXPECT_EQ(find_known(*known, "not.this"), nullptr);
}

TEST(KnownDifferences, ARowWithoutASignatureIsAnErrorNamingTheLine) {
  const auto known = parse_known_differences(
      "## Known to tcpfuzz diff\n| a | b |\n| --- | --- |\n| no backticks | x |\n", "doc.md");
  ASSERT_FALSE(known);
  EXPECT_EQ(known.error(), "doc.md:4: a known difference needs a `signature` in its first cell");
}

}  // namespace
}  // namespace tcpfuzz::diff
