#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "gpu/suballocator.h"

using vitrine::gpu::BlockSuballocator;

TEST(Suballocator, AlignsAndFillsTheBlock) {
    BlockSuballocator b(1024);
    auto a = b.allocate(100, 1);
    auto c = b.allocate(100, 256);
    ASSERT_TRUE(a && c);
    EXPECT_EQ(*a, 0u);
    EXPECT_EQ(*c % 256, 0u);
    EXPECT_GE(*c, 100u);
    EXPECT_FALSE(b.allocate(2000, 1).has_value());
}

TEST(Suballocator, FreeMergesNeighbours) {
    BlockSuballocator b(1000);
    auto x = b.allocate(300, 1), y = b.allocate(300, 1), z = b.allocate(400, 1);
    ASSERT_TRUE(x && y && z);
    EXPECT_FALSE(b.allocate(1, 1).has_value());
    b.free(*x);
    b.free(*z);
    b.free(*y);  // merges with both sides
    EXPECT_TRUE(b.empty());
    EXPECT_EQ(b.used(), 0u);
    EXPECT_EQ(b.free_ranges(), 1u);
    auto all = b.allocate(1000, 1);
    ASSERT_TRUE(all);
    EXPECT_EQ(*all, 0u);
}

TEST(Suballocator, RandomWorkloadNeverOverlaps) {
    std::mt19937 rng(1234);
    BlockSuballocator b(1 << 20);
    struct Live { uint64_t off, size; };
    std::vector<Live> live;
    for (int step = 0; step < 20000; ++step) {
        if (live.empty() || rng() % 3 != 0) {
            uint64_t size = 1 + rng() % 5000, align = uint64_t(1) << (rng() % 9);
            auto off = b.allocate(size, align);
            if (!off) continue;
            ASSERT_EQ(*off % align, 0u);
            ASSERT_LE(*off + size, b.size());
            for (const Live& l : live) ASSERT_TRUE(*off + size <= l.off || l.off + l.size <= *off) << "overlap";
            live.push_back({*off, size});
        } else {
            size_t i = rng() % live.size();
            b.free(live[i].off);
            live.erase(live.begin() + long(i));
        }
    }
    for (const Live& l : live) b.free(l.off);
    EXPECT_TRUE(b.empty());
    EXPECT_EQ(b.free_ranges(), 1u);
}
