// The editor's command language: every edit has a text form, one command a line
// (`docs/editor.md` lists them). The window's panels, `edit --script` and OSC
// `/vitrine/edit` all issue these, so an edit made any way is the same edit.
#pragma once
#include <string>
#include <vector>

#include "core/result.h"

namespace vitrine::edit {

struct Command {
    std::string verb;               // "set", "move", "key add", "node rename", ... ("" for a blank line)
    std::vector<std::string> args;  // words; "quoted text" unquoted; a [list] kept whole
    std::string line;               // as written
};

// Splits a line into its verb and arguments; `#` starts a comment outside quotes.
// Fails (ErrorKind::Usage) on an unknown verb, an unclosed quote or bracket, or the
// wrong number of arguments, with the usage of the verb.
Result<Command> parse_command(const std::string& line);

// Every verb with its usage, in the order docs/editor.md lists them.
struct Verb {
    const char* name;
    const char* usage;  // arguments
    int min_args, max_args;
};
const std::vector<Verb>& verbs();

// A list argument ("[0.2, 0, 0]" or a single number) as numbers; false when any is not one.
bool parse_numbers(const std::string& arg, std::vector<float>& out);
bool parse_number(const std::string& arg, double& out);

}  // namespace vitrine::edit
