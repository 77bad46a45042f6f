// One thread that runs posted tasks in order, so that slow work (creating and writing files)
// leaves the packet thread. The thread starts with the first task. post() waits while the
// tasks queued hold more than `max_pending_bytes` (as their poster declares them): a slow disk
// slows the producer down instead of filling the memory.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace tstat {

class BackgroundTasks {
public:
    explicit BackgroundTasks(size_t max_pending_bytes = size_t{64} << 20)
        : max_pending_(max_pending_bytes) {}
    ~BackgroundTasks();
    BackgroundTasks(const BackgroundTasks&) = delete;
    BackgroundTasks& operator=(const BackgroundTasks&) = delete;

    // Queues `task`; `bytes` is what it holds (counted against the limit until it ran).
    void post(std::function<void()> task, size_t bytes = 0);
    // Returns once every task posted so far has run.
    void drain();

private:
    struct Job {
        std::function<void()> task;
        size_t bytes = 0;
    };
    void run();

    const size_t max_pending_;
    std::mutex mu_;
    std::condition_variable wake_;   // tasks queued, or stop
    std::condition_variable done_;   // a task finished
    std::deque<Job> queue_;
    size_t pending_bytes_ = 0;
    bool busy_ = false;
    bool idle_ = false;              // the thread waits for a task
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace tstat
