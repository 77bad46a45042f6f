// A carbon (Graphite) plaintext client that loses nothing when carbon restarts: lines are
// queued in memory and sent by a thread of their own; a batch leaves the queue only once
// carbon has read all of it — we half-close the connection after the batch and wait for
// carbon to close its side, which it does after reading everything before our FIN. Until
// then the batch is re-sent (carbon keeps the last value of a repeated point, so a repeat
// is harmless). The packet path only appends to the queue.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"

namespace tstat::exporter::graphite {

struct CarbonOptions {
    size_t max_queue_bytes = size_t{256} << 20;   // beyond this the oldest lines are dropped
    size_t max_batch_bytes = size_t{4} << 20;
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds io_timeout{10000};      // sending a batch and carbon's close
    std::chrono::milliseconds max_backoff{5000};
};

// "host:port", "[v6 address]:port" or "host" (port 2003).
struct CarbonAddress {
    std::string host;
    std::string port;
};
Result<CarbonAddress> parse_carbon_address(const std::string& text);

class CarbonClient {
public:
    CarbonClient(CarbonAddress address, CarbonOptions options = {});
    ~CarbonClient();
    CarbonClient(const CarbonClient&) = delete;
    CarbonClient& operator=(const CarbonClient&) = delete;

    // Queues whole lines ("name value timestamp\n"...). Never waits for the network.
    void send(std::string lines);

    struct Summary {
        uint64_t delivered_bytes = 0;
        uint64_t pending_bytes = 0;   // still queued when finish() gave up
        uint64_t dropped_bytes = 0;   // pushed out of a full queue
        std::string last_error;       // the last failed attempt, if any
    };
    // Keeps trying for at most `wait` to deliver what is queued, then stops the thread.
    Summary finish(std::chrono::milliseconds wait);
    // What has been delivered so far (for tests and progress).
    Summary summary() const;
    const CarbonAddress& address() const { return address_; }

private:
    void run();
    bool deliver(const std::string& batch, std::string& error) const;

    const CarbonAddress address_;
    const CarbonOptions options_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::string> queue_;
    uint64_t queued_bytes_ = 0;
    uint64_t popped_ = 0;   // chunks that ever left the front of the queue
    Summary stats_;
    bool stopping_ = false;
    std::chrono::steady_clock::time_point drain_deadline_{};
    std::thread thread_;
};

}  // namespace tstat::exporter::graphite
