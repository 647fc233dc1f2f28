// The plain-C++ parts of the render core: the staging ring's bounds, the deletion queue
// shared by several outputs, the light list past 64, and error kinds -> exit codes.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/result.h"
#include "gpu/deletion_queue.h"
#include "gpu/ring_space.h"
#include "render/lights.h"

using namespace vitrine;

TEST(RingSpace, NeverExceedsCapacityNorOverlapsLiveBytes) {
    const uint64_t capacity = 1000;
    gpu::RingSpace ring(capacity, 16);
    std::mt19937 rng(7);
    struct Live { uint64_t at, bytes, batch; };
    std::vector<Live> live;
    uint64_t submitted = 0, completed = 0;
    int placed = 0, waits = 0;
    for (int step = 0; step < 20000; ++step) {
        uint64_t bytes = 1 + rng() % 300;
        auto at = ring.allocate(bytes);
        if (!at) {
            // The ring is full: close the open batch, "wait" for the oldest one, release it.
            ring.close_batch(++submitted);
            for (auto& l : live)
                if (l.batch == 0) l.batch = submitted;
            uint64_t oldest = ring.oldest_pending();
            ASSERT_GT(oldest, 0u);
            completed = std::max(completed, oldest);
            ring.release(completed);
            live.erase(std::remove_if(live.begin(), live.end(), [&](const Live& l) { return l.batch && l.batch <= completed; }),
                       live.end());
            ++waits;
            continue;
        }
        ++placed;
        ASSERT_LE(*at + bytes, capacity);
        ASSERT_EQ(*at % 16, 0u);
        for (const Live& l : live) ASSERT_TRUE(*at + bytes <= l.at || l.at + l.bytes <= *at) << "overlap at step " << step;
        live.push_back({*at, bytes, 0});
        ASSERT_LE(ring.in_use(), capacity);
        if (rng() % 4 == 0) {
            ring.close_batch(++submitted);
            for (auto& l : live)
                if (l.batch == 0) l.batch = submitted;
        }
        if (rng() % 3 == 0 && completed < submitted) {
            completed += 1;
            ring.release(completed);
            live.erase(std::remove_if(live.begin(), live.end(), [&](const Live& l) { return l.batch && l.batch <= completed; }),
                       live.end());
        }
    }
    EXPECT_GT(placed, 10000);
    EXPECT_GT(waits, 10);
}

TEST(RingSpace, RefusesMoreThanCapacityAndEmptiesCompletely) {
    gpu::RingSpace ring(256, 4);
    EXPECT_FALSE(ring.allocate(257));
    EXPECT_FALSE(ring.allocate(0));
    ASSERT_TRUE(ring.allocate(256));
    EXPECT_FALSE(ring.allocate(1));
    ring.close_batch(1);
    ring.release(0);
    EXPECT_EQ(ring.in_use(), 256u);
    ring.release(1);
    EXPECT_EQ(ring.in_use(), 0u);
    auto again = ring.allocate(256);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, 0u);
}

TEST(DeletionQueue, TwoOutputsOnOneTimelineNeverFreeEachOthersObjectsEarly) {
    // A window and a capture share one Context: their submissions interleave on one
    // timeline. An object dropped while the capture records frame 3 (next value 4) may
    // still be read by submission 4 and must survive until 4 completes, even though the
    // window's slot 0 (submission 1) and 2 completed long before.
    gpu::DeletionQueue q;
    std::map<std::string, bool> freed;
    auto drop = [&](uint64_t after, std::string name) { q.push(after, [&freed, name] { freed[name] = true; }); };
    drop(2, "window texture");  // dropped while recording submission 2 (window)
    drop(3, "capture buffer");  // dropped while recording submission 3 (capture)
    drop(4, "capture target");
    q.collect(1);
    EXPECT_TRUE(freed.empty());
    q.collect(2);
    EXPECT_TRUE(freed["window texture"]);
    EXPECT_FALSE(freed["capture buffer"]);
    q.collect(3);
    EXPECT_TRUE(freed["capture buffer"]);
    EXPECT_FALSE(freed["capture target"]);
    EXPECT_EQ(q.size(), 1u);
    q.flush();
    EXPECT_TRUE(freed["capture target"]);
    EXPECT_EQ(q.size(), 0u);
}

TEST(DeletionQueue, KeysNeverRunBackwards) {
    gpu::DeletionQueue q;
    int order = 0, a = -1, b = -1;
    q.push(5, [&] { a = order++; });
    q.push(3, [&] { b = order++; });  // an older key after a newer one is held to the newer
    q.collect(3);
    EXPECT_EQ(a, -1);
    EXPECT_EQ(b, -1);
    q.collect(5);
    EXPECT_EQ(a, 0);
    EXPECT_EQ(b, 1);
}

TEST(Lights, MoreThan64AreAllKeptInFileOrder) {
    scene::Model model;
    for (int i = 0; i < 100; ++i) {
        scene::Light l;
        l.type = scene::LightType::Point;
        l.intensity = float(i + 1);
        model.lights.push_back(l);
        scene::Node n;
        n.light = i;
        n.translation = glm::vec3(float(i), 0, 0);
        model.nodes.push_back(n);
    }
    scene::Pose pose;
    for (int i = 0; i < 100; ++i) pose.world.push_back(model.nodes[size_t(i)].local());
    std::vector<shader::LightUniform> out;
    glm::mat4 placed(1);
    placed[3] = glm::vec4(0, 2, 0, 1);  // the instance stands 2 m up
    render::append_lights(model, pose, placed, out);
    render::append_lights(model, pose, glm::mat4(1), out);  // a second instance of the same model
    ASSERT_EQ(out.size(), 200u);
    EXPECT_FLOAT_EQ(out[99].color.r, 100.0f);
    EXPECT_FLOAT_EQ(out[99].position.x, 99.0f);
    EXPECT_FLOAT_EQ(out[99].position.y, 2.0f);
    EXPECT_FLOAT_EQ(out[100].position.y, 0.0f);
    EXPECT_FLOAT_EQ(out[150].position.w, float(LIGHT_POINT));
}

TEST(ErrorKinds, ExitCodesDeriveFromTheKind) {
    EXPECT_EQ(exit_code(ErrorKind::BadInput), 1);
    EXPECT_EQ(exit_code(ErrorKind::Io), 1);
    EXPECT_EQ(exit_code(ErrorKind::Usage), 2);
    EXPECT_EQ(exit_code(ErrorKind::Gpu), 3);
    EXPECT_EQ(exit_code(ErrorKind::DeviceLost), 3);
    EXPECT_EQ(exit_code(ErrorKind::Validation), 4);
    Error plain = fail("box.gltf: broken");
    EXPECT_EQ(plain.kind, ErrorKind::BadInput);
    Error lost = fail(ErrorKind::DeviceLost, "the GPU device was lost");
    EXPECT_EQ(lost.kind, ErrorKind::DeviceLost);
    Result<int> r = lost;
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::DeviceLost);
}
