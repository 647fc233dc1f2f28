// Result<T>: an expected failure is a value carrying one user-facing line
// ("file: problem"). Bugs are not Results; they stop via VITRINE_CHECK.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace vitrine {

struct Error {
    std::string message;  // one line: what failed and where, e.g. "box.gltf: accessor 3 ..."
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

inline Error fail(std::string message) { return Error{std::move(message)}; }

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
