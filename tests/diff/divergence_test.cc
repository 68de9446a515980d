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
