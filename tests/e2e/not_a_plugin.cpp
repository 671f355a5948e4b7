// not_a_plugin.cpp -- a shared library without Halo's entry point, for the
// test that `halo plugins` names it instead of ignoring it.
extern "C" __attribute__((visibility("default"))) int not_a_halo_plugin() {
  return 42;
}
