#include "common/background_tasks.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace tstat {
namespace {

TEST(BackgroundTasks, RunsTasksInOrderAndDrainWaitsForThem) {
    BackgroundTasks tasks;
    std::vector<int> ran;   // touched by the task thread only until drain() returns
    for (int i = 0; i < 100; ++i)
        tasks.post([&ran, i] {
            if (i == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            ran.push_back(i);
        });
    tasks.drain();
    ASSERT_EQ(ran.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(ran[static_cast<size_t>(i)], i);
}

TEST(BackgroundTasks, DestructorRunsWhatIsStillQueued) {
    std::atomic<int> ran{0};
    {
        BackgroundTasks tasks;
        for (int i = 0; i < 10; ++i)
            tasks.post([&ran] {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                ++ran;
            });
    }
    EXPECT_EQ(ran.load(), 10);
}

TEST(BackgroundTasks, PostWaitsWhileTooManyBytesArePending) {
    BackgroundTasks tasks(100);
    std::atomic<bool> release{false};
    std::atomic<int> ran{0};
    tasks.post([&] {
        while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        ++ran;
    }, 80);
    std::atomic<bool> posted{false};
    std::thread producer([&] {
        tasks.post([&] { ++ran; }, 80);   // 160 > 100: waits for the first
        posted = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(posted.load());
    release = true;
    producer.join();
    EXPECT_TRUE(posted.load());
    tasks.drain();
    EXPECT_EQ(ran.load(), 2);
}

}  // namespace
}  // namespace tstat
