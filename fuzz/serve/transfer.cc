#include "fuzz/serve/transfer.h"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace tcpfuzz::serve {

using netstack::Instant;
using netstack::tcp::Endpoint;
using netstack::tcp::Errno;
using netstack::tcp::State;

namespace {

constexpr size_t kChunk = size_t{64} * 1024;
// How long a graceful close may take to reach TIME-WAIT or CLOSED.
constexpr netstack::Duration kCloseLimit = std::chrono::seconds(10);

bool sends(Mode m) {
  return m == Mode::kSource || m == Mode::kSend;
}

std::string endpoint_text(const netstack::IpAddress& a, uint16_t port) {
  return a.to_string() + ":" + std::to_string(port);
}

}  // namespace

Transfer::Transfer(netstack::tcp::Protocol& protocol, netstack::tcp::EndpointId id,
                   const ServeOptions& options, std::span<const uint8_t> pattern)
    : protocol_(protocol),
      id_(id),
      options_(options),
      pattern_(pattern),
      phase_(options.is_client() ? Phase::kConnecting : Phase::kData),
      read_buffer_(kChunk) {}

bool Transfer::step(Instant now) {
  Endpoint* ep = protocol_.find(id_);
  if (ep == nullptr) phase_ = Phase::kDone;
  switch (phase_) {
    case Phase::kConnecting:
      connecting(*ep, now);
      break;
    case Phase::kData:
      move_data(*ep, now);
      break;
    case Phase::kClosing:
      if (ep->state() == State::kTimeWait || ep->state() == State::kClosed) {
        phase_ = Phase::kDone;
      } else if (now - *closing_since_ > kCloseLimit) {
        result_ = "close-timeout";
        phase_ = Phase::kDone;
      }
      break;
    case Phase::kDone:
      break;
  }
  return phase_ == Phase::kDone;
}

void Transfer::connecting(Endpoint& ep, Instant now) {
  if (ep.state() == State::kSynSent) return;
  if (ep.state() == State::kClosed) {
    auto error = ep.get_option(netstack::tcp::SockOpt::kError);
    fail(ep, error && *error != 0 ? *error : ECONNREFUSED);
    return;
  }
  phase_ = Phase::kData;
  move_data(ep, now);
}

void Transfer::move_data(Endpoint& ep, Instant now) {
  if (!data_started_) {
    data_started_ = now;
    negotiated_ = ep.info();
    local_ = endpoint_text(ep.tuple().local_address, ep.tuple().local_port);
    remote_ = endpoint_text(ep.tuple().remote_address, ep.tuple().remote_port);
  }
  if (!read_all(ep) || !write_all(ep)) return;
  const bool limit_reached =
      options_.bytes && !sends(options_.mode) && received_ >= *options_.bytes;
  if (sends(options_.mode) && sending_done() && !fin_sent_ &&
      options_.ending == Ending::kGraceful) {
    // Our FIN first, then the peer's end of stream.
    ep.shutdown(netstack::tcp::ShutdownHow::kWrite);
    fin_sent_ = true;
  }
  const bool finished =
      sending_done() &&
      (eof_ || limit_reached || (sends(options_.mode) && options_.ending == Ending::kAbort));
  if (finished) end(ep, now);
}

bool Transfer::read_all(Endpoint& ep) {
  while (!eof_) {
    std::span<uint8_t> room(read_buffer_);
    if (options_.bytes && !sends(options_.mode)) {
      if (received_ >= *options_.bytes) return true;
      room = room.first(std::min<uint64_t>(room.size(), *options_.bytes - received_));
    }
    auto n = ep.read(room);
    if (!n) {
      if (n.error() == EAGAIN) return true;
      fail(ep, n.error());
      return false;
    }
    if (*n == 0) {
      eof_ = true;
      break;
    }
    const auto got = room.first(*n);
    rx_hash_.update(got);
    received_ += *n;
    if (options_.mode == Mode::kEcho) {
      echo_backlog_.insert(echo_backlog_.end(), got.begin(), got.end());
    }
  }
  return true;
}

bool Transfer::write_all(Endpoint& ep) {
  while (!sending_done()) {
    std::span<const uint8_t> chunk;
    if (options_.mode == Mode::kEcho) {
      chunk = std::span(echo_backlog_).first(std::min(echo_backlog_.size(), kChunk));
    } else {
      const size_t offset = sent_ % pattern_.size();
      chunk = pattern_.subspan(
          offset, std::min<uint64_t>({kChunk, pattern_.size() - offset, *options_.bytes - sent_}));
    }
    auto n = ep.write(chunk);
    if (!n) {
      if (n.error() == EAGAIN) return true;
      fail(ep, n.error());
      return false;
    }
    tx_hash_.update(chunk.first(*n));
    sent_ += *n;
    if (options_.mode == Mode::kEcho) {
      echo_backlog_.erase(echo_backlog_.begin(), echo_backlog_.begin() + static_cast<long>(*n));
    }
  }
  return true;
}

bool Transfer::sending_done() const {
  switch (options_.mode) {
    case Mode::kSource:
    case Mode::kSend:
      return sent_ >= *options_.bytes;
    case Mode::kEcho:
      return echo_backlog_.empty();
    case Mode::kDiscard:
    case Mode::kReceive:
      return true;
  }
  return true;
}

void Transfer::end(Endpoint& ep, Instant now) {
  data_ended_ = now;
  closing_since_ = now;
  if (options_.ending == Ending::kAbort) ep.abort();
  ep.close();
  phase_ = Phase::kClosing;
}

void Transfer::fail(Endpoint& ep, Errno error) {
  const char* name = strerrorname_np(error);
  result_ = name != nullptr ? name : "errno-" + std::to_string(error);
  ep.close();
  phase_ = Phase::kDone;
}

void Transfer::give_up(const std::string& why) {
  if (phase_ == Phase::kDone) return;
  result_ = why;
  if (Endpoint* ep = protocol_.find(id_)) {
    ep->abort();
    ep->close();
  }
  phase_ = Phase::kDone;
}

std::string Transfer::summary() const {
  const double seconds = data_started_ && data_ended_
                             ? std::chrono::duration<double>(*data_ended_ - *data_started_).count()
                             : 0.0;
  const double mbit_s =
      seconds > 0 ? static_cast<double>(received_ + sent_) * 8 / seconds / 1e6 : 0;
  std::ostringstream out;
  out << "connection local=" << local_ << " remote=" << remote_ << " result=" << result_
      << " received=" << received_ << " rx_sha256=" << rx_hash_.hex_digest() << " sent=" << sent_
      << " tx_sha256=" << tx_hash_.hex_digest() << " sack=" << negotiated_.sack
      << " ts=" << negotiated_.timestamps << " wscale=" << int{negotiated_.snd_wscale} << "/"
      << int{negotiated_.rcv_wscale} << " mss=" << negotiated_.snd_mss << " seconds=" << seconds
      << " mbit_s=" << mbit_s;
  return out.str();
}

}  // namespace tcpfuzz::serve
