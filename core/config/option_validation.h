// option_validation.h -- checks a plugin use's `config:` mapping against the
// options the plugin declares (halo_option_decl), before the plugin sees it.
//
// Reported, all at once, each with file:line:col and the key path
// ("<where>.config.<option>"): a config that is not a mapping, unknown
// top-level options (did-you-mean, else the list of valid ones), duplicate
// keys, missing required options without a default, values of the wrong
// type, outside the declared bounds or not among the allowed values (the
// message names the bounds or the values), and declarations the plugin got
// wrong (config/option_value.h). Values of secret options are never echoed.
#pragma once

#include <halo/plugin.h>

#include <string>

#include "common/status.h"
#include "config/pipeline_config.h"

namespace halo {

// `where` is the plugin use's key path, e.g. "sources[0]".
Status validate_plugin_options(const std::string &where, const PluginUse &use,
                               const halo_option_decl *decls, uint32_t n);

}  // namespace halo
