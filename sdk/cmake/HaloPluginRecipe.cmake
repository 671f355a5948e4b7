# HaloPluginRecipe.cmake -- the one recipe for building a Halo plugin,
# used by the in-tree plugins (CMakeLists.txt, halo_add_plugin) and by
# out-of-tree plugins through the installed CMake package (HaloSDK), so a
# vendor's library is built exactly like a bundled one.
#
#   halo_sdk_add_plugin(NAME SOURCES...)
#
# Builds the MODULE library libhalo-NAME.so against the SDK only:
#  - it exports exactly one symbol, halo_plugin_entry: hidden visibility
#    for the plugin's own code, and a linker version script
#    (halo_plugin.map) for everything else, including the code that static
#    libraries and standard-library templates bring in;
#  - -fno-gnu-unique (GCC): GNU-unique symbols (template statics, inline
#    variables) would be bound process-wide despite RTLD_LOCAL, so two
#    plugins would share state and a library could never be unloaded.
# Requires the target Halo::sdk (defined by the SDK, in tree or installed).
include_guard(GLOBAL)
include(CheckCXXCompilerFlag)
check_cxx_compiler_flag(-fno-gnu-unique HALO_HAVE_NO_GNU_UNIQUE)

function(halo_sdk_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE Halo::sdk)
  if(HALO_HAVE_NO_GNU_UNIQUE)
    target_compile_options(${name} PRIVATE -fno-gnu-unique)
  endif()
  set(map "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/halo_plugin.map")
  target_link_options(${name} PRIVATE "LINKER:--version-script=${map}")
  set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${map}")
  set_target_properties(${name} PROPERTIES
    PREFIX "libhalo-"
    OUTPUT_NAME ${name}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endfunction()
