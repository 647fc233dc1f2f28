#include "render/virtual_texture.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

#include "core/log.h"
#include "gpu/pipeline.h"
#include "gpu/upload_ring.h"
#include "layout.h"
#include "zoom/page.h"

namespace vitrine::render {

namespace {
const VkDescriptorType SSBO = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
const VkDescriptorType TEX = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
const VkImageLayout RO = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL;
const VkImageLayout DST = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
const VkPipelineStageFlags FS = VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, TR = VK_PIPELINE_STAGE_TRANSFER_BIT;
static_assert(zoom::kPageSide == VT_PAGE_SIDE && zoom::kPageContent == VT_PAGE_CONTENT && zoom::kPageBorder == VT_PAGE_BORDER);
// Pages uploaded per live frame at most (a page is 256 KiB): keeps a jump from stalling frames.
constexpr uint32_t kLiveUploadsPerFrame = 48;
}  // namespace

Result<std::unique_ptr<VirtualTexture>> VirtualTexture::create(gpu::Context& ctx, uint64_t atlas_bytes, uint32_t frame_slots) {
    if (!ctx.limits().fragment_stores)
        return fail(ErrorKind::Gpu, ctx.device_name() + " cannot write from fragment shaders (fragmentStoresAndAtomics): "
                                    "pyramids need it for their tile feedback");
    std::unique_ptr<VirtualTexture> vt(new VirtualTexture(ctx));
    uint64_t side = uint64_t(std::sqrt(double(atlas_bytes) / 4.0)) / zoom::kPageSide * zoom::kPageSide;
    side = std::min<uint64_t>(side, ctx.limits().max_image_2d / zoom::kPageSide * zoom::kPageSide);
    if (side < zoom::kPageSide * 4)
        return fail("tile memory of " + std::to_string(atlas_bytes >> 20) + " MiB is too small (at least 4 MiB: 16 pages)");
    vt->side_ = uint32_t(side);
    vt->per_row_ = vt->side_ / zoom::kPageSide;
    uint32_t slots = std::min<uint32_t>(vt->per_row_ * vt->per_row_, 0xfffe);
    gpu::ImageDesc d;
    d.format = VK_FORMAT_R8G8B8A8_SRGB;
    d.width = d.height = vt->side_;
    d.usage = VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT;
    auto atlas = gpu::Image::create(ctx, d);
    if (!atlas) return atlas.error();
    vt->atlas_ = std::move(atlas.value());
    ctx.name(VK_OBJECT_TYPE_IMAGE, vt->atlas_.handle(), "tile atlas");
    // Cleared once (an empty slot is never sampled, but the layout must be defined).
    auto c = ctx.uploads().cmd();
    if (!c) return c.error();
    gpu::transition(c.value(), vt->atlas_, VK_IMAGE_LAYOUT_UNDEFINED, DST, TR, 0, TR, VK_ACCESS_TRANSFER_WRITE_BIT);
    VkClearColorValue black{};
    VkImageSubresourceRange range{VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    vkCmdClearColorImage(c.value(), vt->atlas_.handle(), DST, &black, 1, &range);
    gpu::transition(c.value(), vt->atlas_, DST, RO, TR, VK_ACCESS_TRANSFER_WRITE_BIT, FS, VK_ACCESS_SHADER_READ_BIT);

    VkSamplerCreateInfo si{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
    si.magFilter = si.minFilter = VK_FILTER_LINEAR;
    si.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST;
    si.addressModeU = si.addressModeV = si.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
    VK_CHECK(vkCreateSampler(ctx.device(), &si, nullptr, &vt->sampler_));
    const VkShaderStageFlags F = VK_SHADER_STAGE_FRAGMENT_BIT;
    vt->layout_ = gpu::make_set_layout(ctx, {{BIND_VT_ATLAS, TEX, F}, {BIND_VT_TABLE, SSBO, F}, {BIND_VT_FEEDBACK, SSBO, F}});
    VkDescriptorPoolSize sizes[] = {{TEX, frame_slots}, {SSBO, 2 * frame_slots}};
    VkDescriptorPoolCreateInfo pci{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
    pci.maxSets = frame_slots;
    pci.poolSizeCount = 2;
    pci.pPoolSizes = sizes;
    VK_CHECK(vkCreateDescriptorPool(ctx.device(), &pci, nullptr, &vt->pool_));
    vt->slots_.resize(frame_slots);
    for (Slot& s : vt->slots_) {
        VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
        ai.descriptorPool = vt->pool_;
        ai.descriptorSetCount = 1;
        ai.pSetLayouts = &vt->layout_;
        VK_CHECK(vkAllocateDescriptorSets(ctx.device(), &ai, &s.set));
        gpu::write_image(ctx, s.set, BIND_VT_ATLAS, TEX, vt->atlas_.view(), vt->sampler_, RO);
    }
    vt->residency_ = std::make_unique<zoom::Residency>(slots);
    vt->cache_ = std::make_unique<zoom::TileCache>();
    // One core is left to the render thread (and a CPU device's rasteriser): frames never wait on decoding.
    unsigned cores = std::thread::hardware_concurrency(), workers = cores > 1 ? cores - 1 : 1;
    vt->loader_ = std::make_unique<zoom::PageLoader>(*vt->cache_, workers);
    // Every slot gets buffers (an empty directory) so a frame without images is valid.
    for (uint32_t i = 0; i < frame_slots; ++i)
        if (auto r = vt->write_table(i); !r) return r.error();
    return vt;
}

VirtualTexture::~VirtualTexture() {
    loader_.reset();  // joins the workers
    VkDevice dev = ctx_.device();
    VkSampler sampler = sampler_;
    VkDescriptorSetLayout layout = layout_;
    VkDescriptorPool pool = pool_;
    ctx_.defer([=] {
        vkDestroySampler(dev, sampler, nullptr);
        vkDestroyDescriptorSetLayout(dev, layout, nullptr);
        vkDestroyDescriptorPool(dev, pool, nullptr);
    });
}

void VirtualTexture::set_fade_frames(uint32_t frames) { residency_->set_fade_frames(frames); }

Result<uint32_t> VirtualTexture::add_image(std::shared_ptr<const zoom::Pyramid> pyramid) {
    for (const Image& im : images_)
        if (im.pyramid == pyramid) return uint32_t(&im - images_.data());
    auto index = residency_->add_image(pyramid->info().levels);
    if (!index) return fail(pyramid->info().path + ": " + index.error().message);
    // The pinned coarse levels, now: a missing page always has a parent to show.
    for (const zoom::PageKey& k : residency_->pinned_pages(index.value())) loader_->request(pyramid.get(), k);
    loader_->wait();
    if (auto r = place_loaded(loader_->collect(), UINT32_MAX); !r) return r.error();
    images_.push_back({pyramid, index.value()});  // only once it can be shown (ids match the Rig's list)
    return uint32_t(images_.size() - 1);
}

// The directory in front of the entries (shaders/vt.glsl).
void VirtualTexture::directory(std::vector<uint32_t>& out) const {
    uint32_t words = 1 + uint32_t(images_.size());
    for (const Image& im : images_) words += 1 + 4 * uint32_t(im.pyramid->info().levels.size());
    out.assign(words, 0);
    out[0] = uint32_t(images_.size());
    uint32_t h = 1 + uint32_t(images_.size());
    for (size_t i = 0; i < images_.size(); ++i) {
        const auto& levels = images_[i].pyramid->info().levels;
        out[1 + i] = h;
        out[h] = uint32_t(levels.size());
        for (uint32_t k = 0; k < levels.size(); ++k) {
            uint32_t* L = &out[h + 1 + 4 * k];
            L[0] = levels[k].width;
            L[1] = levels[k].height;
            L[2] = zoom::pages_across(levels[k].width);
            L[3] = words + residency_->table_offset(images_[i].index, k);
        }
        h += 1 + 4 * uint32_t(levels.size());
    }
}

Result<void> VirtualTexture::write_table(uint32_t slot) {
    Slot& s = slots_[slot];
    directory(table_);
    directory_words_ = uint32_t(table_.size());
    std::span<const uint32_t> entries = residency_->table();
    size_t total = table_.size() + entries.size();
    uint64_t bytes = std::max<uint64_t>(16, total * 4);
    uint32_t words = uint32_t((total + 31) / 32);
    uint64_t feedback_bytes = std::max<uint64_t>(16, uint64_t(words) * 4);
    auto grow = [&](gpu::Buffer& b, uint64_t size, uint32_t binding) -> Result<void> {
        if (b && b.size() >= size) return {};
        auto nb = gpu::Buffer::create(ctx_, std::max<uint64_t>(size, b ? b.size() * 2 : 0), VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
                                      gpu::MemoryUse::Upload);
        if (!nb) return nb.error();
        b = std::move(nb.value());
        gpu::write_buffer(ctx_, s.set, binding, SSBO, b.handle(), VK_WHOLE_SIZE);
        std::memset(b.mapped(), 0, b.size());
        if (binding == BIND_VT_TABLE) s.table_version = UINT64_MAX;  // a new buffer holds nothing yet
        return {};
    };
    if (auto r = grow(s.table, bytes, BIND_VT_TABLE); !r) return r.error();
    if (auto r = grow(s.feedback, feedback_bytes, BIND_VT_FEEDBACK); !r) return r.error();
    // The entries change only when pages come, go or fade: copied when this slot's are old.
    if (s.table_version != residency_->table_version() || s.directory_words != directory_words_ || s.images != images_.size()) {
        std::memcpy(s.table.mapped(), table_.data(), table_.size() * 4);  // the directory: never empty
        if (!entries.empty())  // no images yet: no entries (and data() may be null, which memcpy must not get)
            std::memcpy(static_cast<uint32_t*>(s.table.mapped()) + table_.size(), entries.data(), entries.size() * 4);
        s.table_version = residency_->table_version();
        s.images = images_.size();
    }
    std::memset(s.feedback.mapped(), 0, uint64_t(words) * 4);
    s.feedback_words = words;
    s.directory_words = directory_words_;
    return {};
}

// The pages the frame last drawn in `slot` asked for, to the Residency.
void VirtualTexture::read_feedback(uint32_t slot) {
    Slot& s = slots_[slot];
    if (!s.feedback || images_.empty()) return;
    // (start entry, image, level, pages across) of every level, in table order.
    struct Span {
        uint32_t start, end, image, level, across;
    };
    std::vector<Span> spans;
    for (size_t i = 0; i < images_.size(); ++i) {
        const auto& levels = images_[i].pyramid->info().levels;
        for (uint32_t k = 0; k < levels.size(); ++k) {
            uint32_t start = s.directory_words + residency_->table_offset(images_[i].index, k);
            uint32_t across = zoom::pages_across(levels[k].width);
            spans.push_back({start, start + across * zoom::pages_across(levels[k].height), images_[i].index, k, across});
        }
    }
    std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.start < b.start; });
    const uint32_t* bits = static_cast<const uint32_t*>(s.feedback.mapped());
    for (uint32_t w = 0; w < s.feedback_words; ++w) {
        uint32_t word = bits[w];
        while (word) {
            uint32_t b = uint32_t(__builtin_ctz(word));
            word &= word - 1;
            uint32_t index = w * 32 + b;
            auto it = std::upper_bound(spans.begin(), spans.end(), index, [](uint32_t v, const Span& sp) { return v < sp.start; });
            if (it == spans.begin()) continue;
            const Span& sp = *(it - 1);
            if (index >= sp.end) continue;
            uint32_t page = index - sp.start;
            residency_->request({sp.image, sp.level, page % sp.across, page / sp.across});
        }
    }
}

Result<void> VirtualTexture::upload(uint32_t atlas_slot, const Image8& page) {
    VITRINE_CHECK(page.width == zoom::kPageSide && page.height == zoom::kPageSide);
    if (!uploading_) {
        auto c = ctx_.uploads().cmd();
        if (!c) return c.error();
        // After every earlier frame's reads of the atlas (submission order), before the copies.
        gpu::transition(c.value(), atlas_, RO, DST, FS, 0, TR, VK_ACCESS_TRANSFER_WRITE_BIT);
        uploading_ = true;
    }
    int32_t x = int32_t(atlas_slot % per_row_ * zoom::kPageSide), y = int32_t(atlas_slot / per_row_ * zoom::kPageSide);
    ++uploads_;
    return ctx_.uploads().to_image_rect(atlas_, x, y, zoom::kPageSide, zoom::kPageSide, page.rgba.data(), 4);
}

Result<void> VirtualTexture::end_uploads() {
    if (!uploading_) return {};
    auto c = ctx_.uploads().cmd();
    if (!c) return c.error();
    gpu::transition(c.value(), atlas_, DST, RO, TR, VK_ACCESS_TRANSFER_WRITE_BIT, FS, VK_ACCESS_SHADER_READ_BIT);
    uploading_ = false;
    return {};
}

Result<void> VirtualTexture::place_loaded(std::vector<zoom::LoadedPage> pages, uint32_t budget) {
    // Pages left over from the last frame's budget go first.
    if (!ready_.empty()) {
        for (zoom::LoadedPage& p : pages) ready_.push_back(std::move(p));
        pages = std::move(ready_);
        ready_.clear();
    }
    uint32_t placed = 0;
    ready_keys_.clear();
    for (zoom::LoadedPage& p : pages) {
        if (residency_->contains(p.key) && residency_->resident(p.key)) continue;  // a copy already placed
        if (!p.image) {
            residency_->fail(p.key);
            if (warned_.insert(p.image.error().message).second)
                log::warn(p.image.error().message + " (showing the coarser level there)");
            continue;
        }
        if (placed >= budget) {
            // Placed next frame (not asked of the loader again meanwhile); at most a frame's
            // worth of missing pages wait, the rest are asked for again by later feedback.
            if (ready_.size() < zoom::kMissingPerFrame && ready_keys_.insert(p.key).second) ready_.push_back(std::move(p));
            continue;
        }
        auto slot = residency_->place(p.key);
        if (!slot) {
            if (!warned_full_)
                log::warn("tile memory is full with pages in use (" + std::to_string(residency_->slots()) +
                          " pages): some parts are shown coarser; raise the tile memory");
            warned_full_ = true;
            continue;
        }
        if (auto r = upload(*slot, p.image.value()); !r) {
            (void)end_uploads();  // the atlas goes back to being sampled
            return r.error();
        }
        ++placed;
    }
    return end_uploads();
}

Result<void> VirtualTexture::begin_frame(uint32_t slot) {
    if (images_.empty()) return {};
    residency_->begin_frame(++frame_);
    read_feedback(slot);
    for (const zoom::PageKey& k : residency_->missing())
        if (!ready_keys_.count(k)) loader_->request(images_[image_of(k.image)].pyramid.get(), k);
    if (auto r = place_loaded(loader_->collect(), kLiveUploadsPerFrame); !r) return r.error();
    return write_table(slot);
}

Result<bool> VirtualTexture::settle(uint32_t slot) {
    if (images_.empty()) return false;
    residency_->begin_frame(++frame_);
    read_feedback(slot);
    std::vector<zoom::PageKey> missing = residency_->missing();
    if (missing.empty() && loader_->pending() == 0 && ready_.empty()) return false;
    for (const zoom::PageKey& k : missing) loader_->request(images_[image_of(k.image)].pyramid.get(), k);
    loader_->wait();
    uint64_t before = uploads_;
    if (auto r = place_loaded(loader_->collect(), UINT32_MAX); !r) return r.error();
    return uploads_ > before;
}

uint32_t VirtualTexture::image_of(uint32_t residency_index) const {
    for (size_t i = 0; i < images_.size(); ++i)
        if (images_[i].index == residency_index) return uint32_t(i);
    VITRINE_CHECK(false);
    return 0;
}

VirtualTexture::Stats VirtualTexture::stats() const {
    Stats s;
    zoom::ResidencyStats r = residency_->stats();
    s.slots = r.slots;
    s.resident = r.resident;
    s.atlas_bytes = uint64_t(side_) * side_ * 4;
    s.uploads = uploads_;
    s.evictions = r.evictions;
    s.pending = loader_->pending() + ready_.size();
    return s;
}

}  // namespace vitrine::render
