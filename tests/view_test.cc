#include "stack/buffer/view.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace netstack {
namespace {

constexpr std::array<uint8_t, 6> kBytes = {1, 2, 3, 4, 5, 6};

TEST(ViewTest, DefaultIsEmptyAndSharesNothing) {
  View v;
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.size(), 0u);
  EXPECT_TRUE(v.bytes().empty());
  EXPECT_TRUE(v.mutable_bytes().empty());
  EXPECT_FALSE(v.shares_storage_with(View()));
}

TEST(ViewTest, AllocateIsZeroFilled) {
  const View v = View::allocate(16);
  EXPECT_EQ(v.size(), 16u);
  EXPECT_TRUE(std::ranges::all_of(v.bytes(), [](uint8_t b) { return b == 0; }));
}

TEST(ViewTest, CopyOfCopiesTheBytes) {
  std::array<uint8_t, 6> source = kBytes;
  const View v = View::copy_of(source);
  source[0] = 99;
  EXPECT_TRUE(std::ranges::equal(v.bytes(), kBytes));
}

TEST(ViewTest, CopiesShareStorage) {
  const View a = View::copy_of(kBytes);
  const View b(a);
  EXPECT_TRUE(a.shares_storage_with(b));
  EXPECT_EQ(a.bytes().data(), b.bytes().data());
  EXPECT_FALSE(a.shares_storage_with(View::copy_of(kBytes)));
}

TEST(ViewTest, MoveTransfersStorage) {
  View a = View::copy_of(kBytes);
  const View witness = a;
  View b = std::move(a);
  EXPECT_TRUE(b.shares_storage_with(witness));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from state is specified
  EXPECT_FALSE(a.shares_storage_with(witness));
}

TEST(ViewTest, AssignmentReleasesAndShares) {
  View a = View::copy_of(kBytes);
  const View b = View::allocate(2);
  a = b;
  EXPECT_TRUE(a.shares_storage_with(b));
  EXPECT_EQ(a.size(), 2u);
  const View& alias = a;
  a = alias;  // self-assignment keeps the view intact
  EXPECT_EQ(a.size(), 2u);
  EXPECT_TRUE(a.shares_storage_with(b));
}

TEST(ViewTest, SliceNarrowsWithoutCopying) {
  const View v = View::copy_of(kBytes);
  const View s = v.slice(2, 3);
  EXPECT_TRUE(s.shares_storage_with(v));
  EXPECT_TRUE(std::ranges::equal(s.bytes(), std::array<uint8_t, 3>{3, 4, 5}));
  EXPECT_EQ(v.size(), 6u) << "the original is unchanged";
}

TEST(ViewTest, SliceClampsToTheEnd) {
  const View v = View::copy_of(kBytes);
  EXPECT_TRUE(std::ranges::equal(v.slice(4, 100).bytes(), std::array<uint8_t, 2>{5, 6}));
  EXPECT_TRUE(v.slice(100, 3).empty());
  EXPECT_TRUE(v.slice(6, 0).empty());
}

TEST(ViewTest, RemovePrefixAndTruncate) {
  View v = View::copy_of(kBytes);
  v.remove_prefix(1);
  EXPECT_TRUE(std::ranges::equal(v.bytes(), std::array<uint8_t, 5>{2, 3, 4, 5, 6}));
  v.truncate(3);
  EXPECT_TRUE(std::ranges::equal(v.bytes(), std::array<uint8_t, 3>{2, 3, 4}));
  v.truncate(10);  // never grows
  EXPECT_EQ(v.size(), 3u);
  v.remove_prefix(3);
  EXPECT_TRUE(v.empty());
}

TEST(ViewTest, MutableBytesWritesInPlaceWhenUnshared) {
  View v = View::copy_of(kBytes);
  const uint8_t* before = v.bytes().data();
  v.mutable_bytes()[0] = 42;
  EXPECT_EQ(v.bytes().data(), before);
  EXPECT_EQ(v.bytes()[0], 42);
}

TEST(ViewTest, MutableBytesCopiesOnWriteWhenShared) {
  View writer = View::copy_of(kBytes);
  const View reader = writer;
  writer.mutable_bytes()[0] = 42;
  EXPECT_FALSE(writer.shares_storage_with(reader));
  EXPECT_EQ(writer.bytes()[0], 42);
  EXPECT_TRUE(std::ranges::equal(reader.bytes(), kBytes)) << "the other view never sees the write";
}

TEST(ViewTest, MutableBytesOfASharedSliceCopiesOnlyTheSlice) {
  const View whole = View::copy_of(kBytes);
  View tail = whole.slice(3, 3);
  auto bytes = tail.mutable_bytes();
  ASSERT_EQ(bytes.size(), 3u);
  bytes[0] = 40;
  EXPECT_TRUE(std::ranges::equal(tail.bytes(), std::array<uint8_t, 3>{40, 5, 6}));
  EXPECT_TRUE(std::ranges::equal(whole.bytes(), kBytes));
}

TEST(ViewTest, StorageOutlivesTheFirstView) {
  View slice;
  {
    const View whole = View::copy_of(kBytes);
    slice = whole.slice(1, 2);
  }
  // Under ASan a premature free would be reported here.
  EXPECT_TRUE(std::ranges::equal(slice.bytes(), std::array<uint8_t, 2>{2, 3}));
}

TEST(ViewTest, ARecycledPacketBufferStartsZeroed) {
  // Packet-sized chunks are recycled (view.cc): a new one must not show
  // what the last packet in that block held.
  const std::vector<uint8_t> full(1500, 0xab);
  { const View old = View::copy_of(full); }
  const View fresh = View::allocate(1500);
  EXPECT_TRUE(std::ranges::all_of(fresh.bytes(), [](uint8_t b) { return b == 0; }));
  const View copy = View::copy_of(kBytes);
  EXPECT_TRUE(std::ranges::equal(copy.bytes(), kBytes));
}

TEST(ViewTest, ChunksBeyondAPacketStillWork) {
  std::vector<uint8_t> big(70000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7);
  const View v = View::copy_of(big);
  EXPECT_TRUE(std::ranges::equal(v.bytes(), big));
  EXPECT_TRUE(std::ranges::equal(v.slice(69990, 100).bytes(),
                                 std::span<const uint8_t>(big).subspan(69990)));
}

TEST(ViewTest, TheGsoSizeBelongsToThePacketAndSurvivesACopyOnWrite) {
  View packet = View::allocate(100);
  EXPECT_EQ(packet.gso_size(), 0);
  packet.set_gso_size(1000);
  const View payload = packet.slice(40, 60);
  EXPECT_EQ(payload.gso_size(), 1000);
  View writer = payload;
  writer.mutable_bytes()[0] = 1;  // shared: copied first
  EXPECT_FALSE(writer.shares_storage_with(payload));
  EXPECT_EQ(writer.gso_size(), 1000);
  // A recycled chunk starts as a plain packet again.
  { const View gone = std::move(packet); }
  EXPECT_EQ(View::allocate(100).gso_size(), 0);
}

}  // namespace
}  // namespace netstack
