// pipeline_file.cpp -- bounded, non-blocking read of a pipeline file.
#include "config/pipeline_file.h"

#include "common/bounded_file.h"
#include "config/yaml_limits.h"

namespace halo {

Result<std::string> read_pipeline_file(const std::string &path) {
  BoundedFile file = read_bounded_file(path, kMaxYamlBytes);
  switch (file.outcome) {
    case BoundedFile::kOk:
      return std::move(file.text);
    case BoundedFile::kCannotRead:
      return Status::Io("cannot read pipeline file " + path + ": " + file.system_error);
    case BoundedFile::kNotRegular:
      return Status::Invalid(path + ": " + file.kind +
                             ", not a regular file; a pipeline file must be a regular file");
    case BoundedFile::kTooLarge:
      break;
  }
  return Status::Invalid(path + ": the pipeline file is larger than " +
                         std::to_string(kMaxYamlBytes >> 20) + " MiB (" +
                         std::to_string(kMaxYamlBytes) + " bytes), the limit for pipeline files");
}

}  // namespace halo
