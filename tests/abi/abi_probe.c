/*
 * abi_probe.c -- a shared library whose exported functions mention every
 * type of halo/plugin.h, so that libabigail (abidw/abidiff) can record the
 * ABI of the header in sdk/abi/ and compare later versions against it.
 */
#include <halo/plugin.h>

#define PROBE(type)                                                           \
  __attribute__((visibility("default"))) size_t probe_##type(const type *p) { \
    return p ? sizeof *p : 0;                                                 \
  }

PROBE(halo_plugin_descriptor)
PROBE(halo_host_api)
PROBE(halo_source_vtable)
PROBE(halo_resolver_vtable)
PROBE(halo_feature_vtable)
PROBE(halo_destination_vtable)
PROBE(halo_message)
PROBE(halo_option_decl)
PROBE(halo_value)
PROBE(halo_identity_link)
PROBE(halo_state_row)
PROBE(halo_http_request)
PROBE(halo_smtp_request)
PROBE(halo_mailbox_request)
PROBE(halo_delivery_receipt)
PROBE(halo_sent_message)
PROBE(halo_consent_statement)
PROBE(halo_http_route)
PROBE(halo_magic_block)
