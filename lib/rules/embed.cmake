# Writes OUTPUT: a C++ file holding every INPUT_DIR/*.toml as a string literal.
file(GLOB files ${INPUT_DIR}/*.toml)
list(SORT files)
set(body "")
foreach(f IN LISTS files)
  get_filename_component(name ${f} NAME)
  file(READ ${f} text)
  string(FIND "${text}" ")leakgate_rule\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${f} contains the raw-string delimiter")
  endif()
  string(APPEND body "  {\"${name}\", R\"leakgate_rule(${text})leakgate_rule\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from lib/rules/builtin/*.toml by embed.cmake. Do not edit.
#include \"rules/catalogue.h\"

namespace leakgate::rules {

const std::vector<EmbeddedFile>& builtin_rule_files() {
  static const std::vector<EmbeddedFile> files = {
${body}  };
  return files;
}

}  // namespace leakgate::rules
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
