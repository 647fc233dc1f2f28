// Result<T>: an expected failure is a value carrying one user-facing line
// ("file: problem"). Bugs are not Results; they stop via VITRINE_CHECK.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace vitrine {

// What kind of failure, so a caller can react to each (the app maps kinds to exit
// codes; a kiosk rebuilds after DeviceLost but stops on BadInput).
enum class ErrorKind {
    BadInput,    // a file or option value is wrong (exit 1)
    Usage,       // the command line is malformed (exit 2)
    Io,          // reading or writing a file failed (exit 1)
    Gpu,         // no usable device, out of device memory, ... (exit 3)
    DeviceLost,  // VK_ERROR_DEVICE_LOST: recoverable by rebuilding the device (exit 3)
    Validation,  // Vulkan validation printed messages (exit 4)
    Interrupted, // stopped by SIGINT or SIGTERM; finished files kept (exit 130)
};

// Exit codes documented in README.md, derived from the kind.
constexpr int exit_code(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::BadInput: return 1;
        case ErrorKind::Usage: return 2;
        case ErrorKind::Io: return 1;
        case ErrorKind::Gpu: return 3;
        case ErrorKind::DeviceLost: return 3;
        case ErrorKind::Validation: return 4;
        case ErrorKind::Interrupted: return 130;
    }
    return 1;
}

struct Error {
    std::string message;  // one line: what failed and where, e.g. "box.gltf: accessor 3 ..."
    ErrorKind kind = ErrorKind::BadInput;
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(state_); }
    const T& value() const { return std::get<0>(state_); }
    T* operator->() { return &value(); }
    T& operator*() { return value(); }
    const Error& error() const { return std::get<1>(state_); }

private:
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), failed_(true) {}
    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return error_; }

private:
    Error error_;
    bool failed_ = false;
};

inline Error fail(std::string message) { return Error{std::move(message), ErrorKind::BadInput}; }
inline Error fail(ErrorKind kind, std::string message) { return Error{std::move(message), kind}; }

}  // namespace vitrine

// A broken invariant is a bug: stop loudly with file, line and the failing expression.
#define VITRINE_CHECK(cond)                                                               \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            std::fprintf(stderr, "vitrine: internal error at %s:%d: %s\n", __FILE__, __LINE__, \
                         #cond);                                                          \
            std::abort();                                                                 \
        }                                                                                 \
    } while (0)
