#include "report/json_dump.h"

#include "report/wire_text.h"

namespace trustcap {
namespace {

void make_valid_utf8(Json& value) {
    if (value.is_string()) {
        auto& text = value.get_ref<std::string&>();
        if (!is_valid_utf8(text)) text = json_text(text);
    } else if (value.is_array()) {
        for (Json& element : value) make_valid_utf8(element);
    } else if (value.is_object()) {
        bool names_valid = true;
        for (auto& [name, member] : value.items()) {
            make_valid_utf8(member);
            names_valid = names_valid && is_valid_utf8(name);
        }
        if (names_valid) return;
        Json rebuilt = Json::object();
        for (auto& [name, member] : value.items()) rebuilt[json_text(name)] = std::move(member);
        value = std::move(rebuilt);
    }
}

}  // namespace

std::string dump_json(Json value, int indent) {
    make_valid_utf8(value);
    // Nothing is left for the handler to replace; it stands in case a string escaped the walk above.
    return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace trustcap
