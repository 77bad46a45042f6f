// When runtime.conf is re-read (spec §14.1): Tstat's mtime polling on the wall clock, with a
// fake clock and file so that the 21 s x 3 rhythm is checked without waiting for it.
#include "control/runtime_watcher.h"

#include <gtest/gtest.h>

#include <optional>

namespace tstat::control {
namespace {

struct FakeFile {
    double now = 1000.0;
    std::optional<int64_t> mtime = 50;

    RuntimeWatcher watcher(double idle = 21.0, uint32_t stable = 3) {
        return RuntimeWatcher(
            "runtime.conf", idle, stable, [this] { return now; },
            [this](const std::string&) { return mtime; });
    }
};

using Event = RuntimeWatcher::Event;

TEST(RuntimeWatcher, NothingHappensWhileTheFileIsUnchanged) {
    FakeFile f;
    RuntimeWatcher w = f.watcher();
    for (int i = 0; i < 20; ++i) {
        f.now += 21;
        EXPECT_EQ(w.poll(), Event::kNone) << i;
    }
}

TEST(RuntimeWatcher, AChangeIsReadAfterThreeStableChecks) {
    FakeFile f;
    RuntimeWatcher w = f.watcher();
    f.now += 5;
    f.mtime = 60;
    EXPECT_EQ(w.poll(), Event::kNone);  // less than one idle period: not even looked at
    f.now += 16;                        // 21 s after the start: the change is seen
    EXPECT_EQ(w.poll(), Event::kNone);
    f.now += 21;
    EXPECT_EQ(w.poll(), Event::kNone);  // stable 1
    f.now += 21;
    EXPECT_EQ(w.poll(), Event::kNone);  // stable 2
    f.now += 10;
    EXPECT_EQ(w.poll(), Event::kNone);  // between two checks
    f.now += 11;
    EXPECT_EQ(w.poll(), Event::kReload);  // stable 3: about 63 s after the edit
    for (int i = 0; i < 5; ++i) {
        f.now += 21;
        EXPECT_EQ(w.poll(), Event::kNone) << "read once per change";
    }
}

TEST(RuntimeWatcher, AFileStillBeingEditedWaitsForTheLastEdit) {
    FakeFile f;
    RuntimeWatcher w = f.watcher();
    f.mtime = 60;
    f.now += 21;
    EXPECT_EQ(w.poll(), Event::kNone);
    f.now += 21;
    EXPECT_EQ(w.poll(), Event::kNone);
    f.mtime = 70;  // edited again: the count starts over
    f.now += 21;
    EXPECT_EQ(w.poll(), Event::kNone);
    f.now += 21;
    EXPECT_EQ(w.poll(), Event::kNone);
    f.now += 21;
    EXPECT_EQ(w.poll(), Event::kNone);
    f.now += 21;
    EXPECT_EQ(w.poll(), Event::kReload);
}

TEST(RuntimeWatcher, ARequestReloadsAtOnceAndOnlyOnce) {
    FakeFile f;
    RuntimeWatcher w = f.watcher();
    f.mtime = 60;
    f.now += 1;
    w.request();  // SIGHUP
    EXPECT_EQ(w.poll(), Event::kReload);
    // The edit that caused the request is not read a second time by the polling.
    for (int i = 0; i < 6; ++i) {
        f.now += 21;
        EXPECT_EQ(w.poll(), Event::kNone) << i;
    }
}

TEST(RuntimeWatcher, AMissingFileIsReportedOnceAfterSeveralMisses) {
    FakeFile f;
    RuntimeWatcher w = f.watcher();
    f.mtime = std::nullopt;
    int missing = 0;
    for (int i = 0; i < 10; ++i) {
        f.now += 21;
        if (w.poll() == Event::kMissing) ++missing;
    }
    EXPECT_EQ(missing, 1);
    // Back again (an editor's rename): the watcher carries on and sees the new mtime.
    f.mtime = 90;
    f.now += 21;
    EXPECT_EQ(w.poll(), Event::kNone);
    for (int i = 0; i < 2; ++i) {
        f.now += 21;
        EXPECT_EQ(w.poll(), Event::kNone);
    }
    f.now += 21;
    EXPECT_EQ(w.poll(), Event::kReload);
}

}  // namespace
}  // namespace tstat::control
