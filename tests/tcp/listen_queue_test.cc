// ListenQueue alone: the backlog bounds, and children moving from the SYN
// queue to the accept queue and out.
#include "stack/tcp/listen_queue.h"

#include <gtest/gtest.h>

namespace netstack::tcp {
namespace {

TEST(ListenQueue, BacklogIsClampedAsSomaxconnDoes) {
  ListenQueue q;
  q.set_backlog(-5);
  EXPECT_EQ(q.backlog(), 0);
  q.set_backlog(100000);
  EXPECT_EQ(q.backlog(), 4096);
  q.set_backlog(7);
  EXPECT_EQ(q.backlog(), 7);
}

TEST(ListenQueue, AcceptQueueIsFullOnlyBeyondTheBacklog) {
  ListenQueue q;
  q.set_backlog(1);
  q.add_embryonic(1);
  q.add_embryonic(2);
  EXPECT_FALSE(q.accept_queue_full());
  q.established(1);
  EXPECT_FALSE(q.accept_queue_full()) << "Linux admits backlog + 1 connections";
  q.established(2);
  EXPECT_TRUE(q.accept_queue_full());
}

TEST(ListenQueue, SynQueueIsFullBeyondTheBacklogOrTheSysctl) {
  ListenQueue q;
  q.set_backlog(2);
  for (EndpointId id = 1; id <= 3; ++id) q.add_embryonic(id);
  EXPECT_TRUE(q.syn_queue_full(/*max_syn_backlog=*/4096));
  q.set_backlog(100);
  EXPECT_FALSE(q.syn_queue_full(4096));
  EXPECT_TRUE(q.syn_queue_full(3));
}

TEST(ListenQueue, EstablishedChildrenAreAcceptedInOrder) {
  ListenQueue q;
  q.set_backlog(10);
  for (EndpointId id = 1; id <= 3; ++id) q.add_embryonic(id);
  q.established(3);
  q.established(1);
  EXPECT_EQ(q.embryonic().size(), 1u);
  EXPECT_TRUE(q.awaiting_accept(3));
  EXPECT_FALSE(q.awaiting_accept(2)) << "still in SYN-RECEIVED";
  EXPECT_TRUE(q.has_established());
  EXPECT_EQ(q.pop_established(), EndpointId{3});
  EXPECT_EQ(q.pop_established(), EndpointId{1});
  EXPECT_FALSE(q.pop_established().has_value());
  EXPECT_FALSE(q.has_established());
}

TEST(ListenQueue, AChildGoneLeavesEitherQueue) {
  ListenQueue q;
  q.set_backlog(10);
  q.add_embryonic(1);
  q.add_embryonic(2);
  q.established(2);
  q.remove(1);
  q.remove(2);
  EXPECT_TRUE(q.embryonic().empty());
  EXPECT_TRUE(q.established_queue().empty());
}

TEST(ListenQueue, ClearEmptiesBoth) {
  ListenQueue q;
  q.add_embryonic(1);
  q.add_embryonic(2);
  q.established(2);
  q.clear();
  EXPECT_TRUE(q.embryonic().empty());
  EXPECT_FALSE(q.has_established());
}

}  // namespace
}  // namespace netstack::tcp
