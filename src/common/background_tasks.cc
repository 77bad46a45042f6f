#include "common/background_tasks.h"

namespace tstat {

BackgroundTasks::~BackgroundTasks() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();   // runs what is still queued first
}

void BackgroundTasks::post(std::function<void()> task, size_t bytes) {
    std::unique_lock lock(mu_);
    // One task larger than the limit still goes through, alone.
    done_.wait(lock, [&] { return pending_bytes_ == 0 || pending_bytes_ + bytes <= max_pending_; });
    queue_.push_back(Job{std::move(task), bytes});
    pending_bytes_ += bytes;
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    // A busy thread finds the task by itself: no wake-up system call for each of the ~350
    // files of a window.
    const bool wake = idle_;
    lock.unlock();
    if (wake) wake_.notify_one();
}

void BackgroundTasks::drain() {
    std::unique_lock lock(mu_);
    done_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void BackgroundTasks::run() {
    std::unique_lock lock(mu_);
    for (;;) {
        idle_ = true;
        wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        idle_ = false;
        if (queue_.empty()) return;   // stop, and nothing left
        Job job = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
        lock.unlock();
        job.task();
        job.task = nullptr;   // its captures go before the others may proceed
        lock.lock();
        busy_ = false;
        pending_bytes_ -= job.bytes;
        done_.notify_all();
    }
}

}  // namespace tstat
