#include "export/graphite/carbon_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tstat::exporter::graphite {

namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(std::min<int64_t>(left, 60'000));
}

// Waits for `events` on fd until the deadline; false on timeout or error.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        const int r = ::poll(&p, 1, remaining_ms(deadline));
        if (r > 0) return true;
        if (r == 0) return false;
        if (errno != EINTR) return false;
    }
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

std::string sys_error(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

Result<CarbonAddress> parse_carbon_address(const std::string& text) {
    CarbonAddress a;
    std::string rest = text;
    if (!rest.empty() && rest[0] == '[') {
        const size_t close = rest.find(']');
        if (close == std::string::npos)
            return make_error("--graphite " + text + ": missing ']' after the IPv6 address");
        a.host = rest.substr(1, close - 1);
        rest = rest.substr(close + 1);
        if (!rest.empty() && rest[0] != ':')
            return make_error("--graphite " + text + ": expected ':port' after ']'");
        a.port = rest.empty() ? "2003" : rest.substr(1);
    } else {
        const size_t colon = rest.rfind(':');
        if (colon != std::string::npos && rest.find(':') != colon)
            return make_error("--graphite " + text + ": write an IPv6 address as [addr]:port");
        a.host = rest.substr(0, colon);
        a.port = colon == std::string::npos ? "2003" : rest.substr(colon + 1);
    }
    if (a.host.empty()) return make_error("--graphite " + text + ": no host (host:port)");
    if (a.port.empty() || a.port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(a.port.substr(0, 6)) == 0 || std::stoul(a.port.substr(0, 6)) > 65535)
        return make_error("--graphite " + text + ": the port must be a number from 1 to 65535");
    return a;
}

CarbonClient::CarbonClient(CarbonAddress address, CarbonOptions options)
    : address_(std::move(address)), options_(options), thread_([this] { run(); }) {}

CarbonClient::~CarbonClient() {
    if (thread_.joinable()) finish(std::chrono::milliseconds(0));
}

void CarbonClient::send(std::string lines) {
    if (lines.empty()) return;
    {
        std::lock_guard<std::mutex> lock(mu_);
        queued_bytes_ += lines.size();
        queue_.push_back(std::move(lines));
        // A carbon that stays away must not take all the memory: the oldest lines go first.
        while (queued_bytes_ > options_.max_queue_bytes && queue_.size() > 1) {
            queued_bytes_ -= queue_.front().size();
            stats_.dropped_bytes += queue_.front().size();
            queue_.pop_front();
            ++popped_;
        }
    }
    cv_.notify_all();
}

CarbonClient::Summary CarbonClient::summary() const {
    std::lock_guard<std::mutex> lock(mu_);
    Summary s = stats_;
    s.pending_bytes = queued_bytes_;
    return s;
}

CarbonClient::Summary CarbonClient::finish(std::chrono::milliseconds wait) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        stopping_ = true;
        drain_deadline_ = Clock::now() + wait;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    return summary();
}

void CarbonClient::run() {
    auto backoff = std::chrono::milliseconds(200);
    Clock::time_point next_try = Clock::now();
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
        // Sleep until there is something to send and the back-off is over, or we stop.
        while (!(stopping_ && (queue_.empty() || Clock::now() >= drain_deadline_))) {
            if (!queue_.empty() && Clock::now() >= next_try) break;
            const auto until = stopping_ ? std::min(next_try, drain_deadline_) : next_try;
            if (queue_.empty())
                cv_.wait(lock);
            else
                cv_.wait_until(lock, until);
        }
        if (stopping_ && (queue_.empty() || Clock::now() >= drain_deadline_)) return;
        std::string batch;
        size_t chunks = 0;
        const uint64_t first = popped_;
        for (const std::string& c : queue_) {
            if (chunks > 0 && batch.size() + c.size() > options_.max_batch_bytes) break;
            batch += c;
            ++chunks;
        }
        lock.unlock();
        std::string error;
        const bool ok = deliver(batch, error);
        lock.lock();
        if (ok) {
            // Chunks dropped from a full queue meanwhile left from the front too: remove only
            // what remains of this batch.
            while (popped_ < first + chunks && !queue_.empty()) {
                queued_bytes_ -= queue_.front().size();
                queue_.pop_front();
                ++popped_;
            }
            stats_.delivered_bytes += batch.size();
            backoff = std::chrono::milliseconds(200);
            next_try = Clock::now();
        } else {
            stats_.last_error = error;
            next_try = Clock::now() + backoff;
            backoff = std::min(backoff * 2, options_.max_backoff);
        }
        cv_.notify_all();
    }
}

bool CarbonClient::deliver(const std::string& batch, std::string& error) const {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_family = AF_UNSPEC;
    addrinfo* list = nullptr;
    const int gai = ::getaddrinfo(address_.host.c_str(), address_.port.c_str(), &hints, &list);
    if (gai != 0) {
        error = address_.host + ": " + ::gai_strerror(gai);
        return false;
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(list, ::freeaddrinfo);
    for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
        Fd s;
        s.fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        ai->ai_protocol);
        if (s.fd < 0) {
            error = sys_error("socket");
            continue;
        }
        // Connect.
        const auto connect_deadline = Clock::now() + options_.connect_timeout;
        if (::connect(s.fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            if (errno != EINPROGRESS) {
                error = sys_error("connect");
                continue;
            }
            if (!wait_for(s.fd, POLLOUT, connect_deadline)) {
                error = "connect: timed out";
                continue;
            }
            int so = 0;
            socklen_t len = sizeof so;
            ::getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &so, &len);
            if (so != 0) {
                error = std::string("connect: ") + std::strerror(so);
                continue;
            }
        }
        // Send the batch.
        const auto io_deadline = Clock::now() + options_.io_timeout;
        size_t off = 0;
        bool failed = false;
        while (off < batch.size()) {
            const ssize_t n = ::send(s.fd, batch.data() + off, batch.size() - off, MSG_NOSIGNAL);
            if (n > 0) {
                off += static_cast<size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
                wait_for(s.fd, POLLOUT, io_deadline))
                continue;
            error = n < 0 && errno != EAGAIN ? sys_error("send") : "send: timed out";
            failed = true;
            break;
        }
        if (failed) continue;
        // Our FIN follows the data; carbon closes after reading it all.
        if (::shutdown(s.fd, SHUT_WR) != 0) {
            error = sys_error("shutdown");
            continue;
        }
        char sink[512];
        for (;;) {
            if (!wait_for(s.fd, POLLIN, io_deadline)) {
                error = "carbon did not close the connection after the batch (timed out)";
                failed = true;
                break;
            }
            const ssize_t n = ::recv(s.fd, sink, sizeof sink, 0);
            if (n == 0) return true;
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (n < 0) {
                error = sys_error("recv");
                failed = true;
                break;
            }
        }
    }
    return false;
}

}  // namespace tstat::exporter::graphite
