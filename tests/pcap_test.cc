#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stack/header/tcp_packet.h"
#include "stack/link/loopback_link.h"
#include "stack/link/recording_tap.h"
#include "stack/link/pcap_writer.h"
#include "stack/time/fake_clock.h"
#include "tests/recording_link.h"

namespace netstack {
namespace {

using testing::RecordingLink;
using testing::RecordingReceiver;

// LINKTYPE_RAW as stored in the file header (the DLT_RAW value differs by OS).
constexpr uint32_t kLinktypeRaw = 101;
constexpr uint32_t kNanosecondMagic = 0xa1b23c4d;

std::string temp_path(std::string_view name) {
  return ::testing::TempDir() + "tcpfuzz_" + std::string(name) + "_" + std::to_string(getpid()) +
         ".pcap";
}

View syn_from(const char* src, const char* dst, bool corrupt_checksum = false) {
  header::TcpPacketSpec spec;
  spec.src = *IpAddress::parse(src);
  spec.dst = *IpAddress::parse(dst);
  spec.tcp.src_port = 40000;
  spec.tcp.dst_port = 80;
  spec.tcp.seq = 1000;
  spec.tcp.flags = header::tcp_flag::kSyn;
  spec.tcp.window = 65535;
  spec.options.mss = 1460;
  spec.options.sack_permitted = true;
  spec.options.timestamps = header::Timestamps{1, 0};
  spec.options.window_scale = 7;
  spec.corrupt_checksum = corrupt_checksum;
  return build_tcp_packet(spec);
}

View syn_ack_from(const char* src, const char* dst) {
  header::TcpPacketSpec spec;
  spec.src = *IpAddress::parse(src);
  spec.dst = *IpAddress::parse(dst);
  spec.tcp.src_port = 80;
  spec.tcp.dst_port = 40000;
  spec.tcp.seq = 5000;
  spec.tcp.ack = 1001;
  spec.tcp.flags = header::tcp_flag::kSyn | header::tcp_flag::kAck;
  spec.tcp.window = 65535;
  spec.options.mss = 1460;
  return build_tcp_packet(spec);
}

struct Record {
  int64_t seconds;
  int64_t nanoseconds;
  std::vector<uint8_t> bytes;
};

struct Capture {
  int datalink = -1;
  std::vector<Record> records;
};

Capture read_capture(const std::string& path) {
  Capture out;
  char error[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p =
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, error);
  EXPECT_NE(p, nullptr) << error;
  if (p == nullptr) return out;
  out.datalink = pcap_datalink(p);
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  while (pcap_next_ex(p, &header, &data) == 1) {
    EXPECT_EQ(header->caplen, header->len);
    out.records.push_back(
        {header->ts.tv_sec, header->ts.tv_usec, std::vector<uint8_t>(data, data + header->caplen)});
  }
  pcap_close(p);
  return out;
}

uint32_t file_header_word(const std::string& path, size_t offset) {
  std::ifstream f(path, std::ios::binary);
  std::array<char, 24> h{};
  f.read(h.data(), h.size());
  uint32_t v = 0;
  // pcap headers are in the writer's byte order; libpcap writes host order.
  std::memcpy(&v, h.data() + offset, 4);
  return v;
}

std::vector<uint8_t> bytes_of(const View& v) {
  return {v.bytes().begin(), v.bytes().end()};
}

class PcapTest : public ::testing::Test {
 protected:
  void TearDown() override { std::remove(path_.c_str()); }

  std::string path_ = temp_path(::testing::UnitTest::GetInstance()->current_test_info()->name());
};

TEST_F(PcapTest, TapRecordsBothDirectionsWithFakeClockTimestamps) {
  auto writer = PcapWriter::open(path_);
  ASSERT_TRUE(writer) << writer.error();
  FakeClock clock(Instant::from_nanos(1'500'000'007));  // 1.500000007 s
  RecordingLink wire_out;
  RecordingReceiver nic_in;
  RecordingTap tap(**writer, clock, wire_out);
  tap.set_receiver(&nic_in);

  const View outbound = syn_from("10.0.0.1", "10.0.0.2");
  tap.send(outbound);
  clock.advance(2s + 999'999'990ns);  // 4.499999997 s
  const View inbound = syn_ack_from("10.0.0.2", "10.0.0.1");
  tap.receive(inbound);
  clock.advance(1ns);
  const View v6 = syn_from("2001:db8::1", "2001:db8::2");
  tap.send(v6);
  EXPECT_EQ((*writer)->packets_written(), 3u);
  ASSERT_TRUE((*writer)->flush());

  ASSERT_EQ(wire_out.sent.size(), 2u) << "the tap forwards outbound packets";
  EXPECT_TRUE(wire_out.sent[0].shares_storage_with(outbound));
  ASSERT_EQ(nic_in.received.size(), 1u) << "and inbound ones";
  EXPECT_TRUE(nic_in.received[0].shares_storage_with(inbound));

  EXPECT_EQ(file_header_word(path_, 0), kNanosecondMagic);
  EXPECT_EQ(file_header_word(path_, 20), kLinktypeRaw);
  const Capture capture = read_capture(path_);
  EXPECT_EQ(capture.datalink, DLT_RAW);
  ASSERT_EQ(capture.records.size(), 3u);
  EXPECT_EQ(capture.records[0].seconds, 1);
  EXPECT_EQ(capture.records[0].nanoseconds, 500'000'007);
  EXPECT_EQ(capture.records[0].bytes, bytes_of(outbound));
  EXPECT_EQ(capture.records[1].seconds, 4);
  EXPECT_EQ(capture.records[1].nanoseconds, 499'999'997);
  EXPECT_EQ(capture.records[1].bytes, bytes_of(inbound));
  EXPECT_EQ(capture.records[2].seconds, 4);
  EXPECT_EQ(capture.records[2].nanoseconds, 499'999'998);
  EXPECT_EQ(capture.records[2].bytes, bytes_of(v6));
}

TEST_F(PcapTest, TapWithoutReceiverStillRecords) {
  auto writer = PcapWriter::open(path_);
  ASSERT_TRUE(writer);
  FakeClock clock;
  LoopbackLink wire;
  RecordingTap tap(**writer, clock, wire.side(LoopbackLink::Side::kA));
  tap.receive(syn_from("10.0.0.2", "10.0.0.1"));
  EXPECT_EQ(tap.mtu(), 1500u);
  ASSERT_TRUE((*writer)->flush());
  EXPECT_EQ(read_capture(path_).records.size(), 1u);
}

TEST(PcapWriterTest, OpenFailureNamesThePath) {
  const std::string path = "/nonexistent-dir/x.pcap";
  auto writer = PcapWriter::open(path);
  ASSERT_FALSE(writer);
  EXPECT_EQ(writer.error().rfind(path + ": ", 0), 0u) << writer.error();
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return false;
  std::string_view rest(path);
  while (!rest.empty()) {
    const size_t colon = rest.find(':');
    const std::string dir(rest.substr(0, colon));
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return false;
}

// tshark's expert-info messages for every packet, with IP and TCP checksum
// validation on (Wireshark leaves both off by default).
std::string tshark_expert_messages(const std::string& pcap) {
  const std::string command =
      "tshark -n -r '" + pcap +
      "' -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -T fields -e _ws.expert.message "
      "2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> out(popen(command.c_str(), "r"), pclose);
  std::string text;
  if (!out) return text;
  std::array<char, 4096> buffer{};
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), out.get())) > 0) text.append(buffer.data(), n);
  return text;
}

std::string lowercase(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

void write_capture(const std::string& path, const std::vector<View>& packets) {
  auto writer = PcapWriter::open(path);
  ASSERT_TRUE(writer) << writer.error();
  FakeClock clock;
  for (const View& p : packets) {
    (*writer)->record(clock.now(), p.bytes());
    clock.advance(1ms);
  }
  ASSERT_TRUE((*writer)->flush());
}

TEST_F(PcapTest, TsharkFindsNoMalformedPacketsOrChecksumErrors) {
  if (!on_path("tshark")) GTEST_SKIP() << "tshark not installed";
  write_capture(path_, {syn_from("10.0.0.1", "10.0.0.2"), syn_ack_from("10.0.0.2", "10.0.0.1"),
                        syn_from("2001:db8::1", "2001:db8::2")});
  const std::string messages = lowercase(tshark_expert_messages(path_));
  EXPECT_NE(messages.find("connection establish"), std::string::npos)
      << "tshark decoded the SYNs as TCP:\n"
      << messages;
  EXPECT_EQ(messages.find("malformed"), std::string::npos) << messages;
  EXPECT_EQ(messages.find("checksum"), std::string::npos) << messages;
}

TEST_F(PcapTest, TsharkReportsABadTcpChecksum) {
  // The control for the test above: the same check does see a bad checksum.
  if (!on_path("tshark")) GTEST_SKIP() << "tshark not installed";
  write_capture(path_, {syn_from("10.0.0.1", "10.0.0.2", /*corrupt_checksum=*/true)});
  EXPECT_NE(lowercase(tshark_expert_messages(path_)).find("checksum"), std::string::npos);
}

}  // namespace
}  // namespace netstack
