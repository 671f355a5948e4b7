/*
 * abi_layout_test.c -- proves sdk/include/halo/plugin.h is pure C99 and that
 * the binary layout of every struct that crosses the plugin boundary is the
 * one released. Compiled with -std=c99 -pedantic -Werror.
 *
 * When a struct grows (fields appended in a new ABI minor), update the sizes
 * here in the same change; an offset that moves is an ABI break and needs a
 * new major version. Layout assumed: LP64 (x86-64/aarch64 Linux).
 */
#include <halo/plugin.h>
#include <stddef.h>
#include <stdio.h>

static int failures = 0;

#define EXPECT_EQ(what, actual, expected)                                   \
  do {                                                                      \
    if ((size_t)(actual) != (size_t)(expected)) {                           \
      printf("FAIL %s: %lu, expected %lu\n", what, (unsigned long)(actual), \
             (unsigned long)(expected));                                    \
      ++failures;                                                           \
    }                                                                       \
  } while (0)

#define OFFSET(type, field, expected) EXPECT_EQ(#type "." #field, offsetof(type, field), expected)
#define SIZE(type, expected) EXPECT_EQ("sizeof " #type, sizeof(type), expected)

int main(void) {
  /* The frozen descriptor prefix: never moves, in any version. */
  OFFSET(halo_plugin_descriptor, struct_size, 0);
  OFFSET(halo_plugin_descriptor, abi_major, 4);
  OFFSET(halo_plugin_descriptor, abi_minor, 6);
  OFFSET(halo_plugin_descriptor, magic, 8);
  SIZE(halo_magic_block, 8);
  OFFSET(halo_plugin_descriptor, name, 16);
  OFFSET(halo_plugin_descriptor, kind, 40);
  OFFSET(halo_plugin_descriptor, options, 48);
  OFFSET(halo_plugin_descriptor, vtable, 64);
  SIZE(halo_plugin_descriptor, 72);

  /* Option rows: the 1.1 row (40 bytes) is a prefix; 1.2 appended bounds
   * and allowed values. */
  OFFSET(halo_option_decl, default_value, 16);
  OFFSET(halo_option_decl, description, 32);
  OFFSET(halo_option_decl, min_value, 40);
  OFFSET(halo_option_decl, max_value, 48);
  OFFSET(halo_option_decl, allowed_values, 56);
  OFFSET(halo_option_decl, allowed_count, 64);
  SIZE(halo_option_decl, 72);
  EXPECT_EQ("HALO_OPT_LIST", HALO_OPT_LIST, 7);
  EXPECT_EQ("HALO_OPT_DURATION", HALO_OPT_DURATION, 8);
  EXPECT_EQ("HALO_OPT_SIZE", HALO_OPT_SIZE, 9);
  SIZE(halo_value, 32);
  SIZE(halo_identity_link, 40);
  SIZE(halo_state_row, 24);
  SIZE(halo_http_header, 16);
  OFFSET(halo_http_request, ca_file, 72);
  OFFSET(halo_http_request, keep_alive, 80); /* 1.2 */
  SIZE(halo_http_request, 88);
  OFFSET(halo_http_route, handler, 24);
  OFFSET(halo_http_route, listen, 40);
  SIZE(halo_http_route, 48);

  /* Vtables: lifecycle first (struct_size, create, start, stop, destroy). */
  OFFSET(halo_source_vtable, create, 8);
  OFFSET(halo_source_vtable, destroy, 32);
  OFFSET(halo_source_vtable, next_batch, 48);
  SIZE(halo_source_vtable, 72);
  /* 1.2 appended restore_times. */
  OFFSET(halo_resolver_vtable, resolve, 48);
  OFFSET(halo_resolver_vtable, restore_times, 56);
  SIZE(halo_resolver_vtable, 64);
  /* 1.2 appended fit, then load_model. */
  OFFSET(halo_feature_vtable, emit, 72);
  OFFSET(halo_feature_vtable, fit, 80);
  OFFSET(halo_feature_vtable, load_model, 88);
  OFFSET(halo_feature_vtable, describe_features, 96);
  SIZE(halo_feature_vtable, 104);
  /* 1.2 appended begin_delivery and remove_profiles, then deliver_messages,
   * then poll_receipts. */
  OFFSET(halo_destination_vtable, write_profiles, 40);
  OFFSET(halo_destination_vtable, begin_delivery, 48);
  OFFSET(halo_destination_vtable, remove_profiles, 56);
  OFFSET(halo_destination_vtable, deliver_messages, 64);
  OFFSET(halo_destination_vtable, poll_receipts, 72);
  SIZE(halo_destination_vtable, 80);
  /* halo_message (since 1.2): struct_size first, then attempt, id, profile id
   * and the (pointer, length) pairs in declaration order. */
  OFFSET(halo_message, attempt, 4);
  OFFSET(halo_message, id, 8);
  OFFSET(halo_message, profile_id, 16);
  OFFSET(halo_message, idempotency_key, 24);
  OFFSET(halo_message, recipient, 72);
  OFFSET(halo_message, variables_json, 152);
  OFFSET(halo_message, unsubscribe_url, 168);
  SIZE(halo_message, 184);
  EXPECT_EQ("HALO_MESSAGE_SENT", HALO_MESSAGE_SENT, 0);
  EXPECT_EQ("HALO_MESSAGE_RETRY", HALO_MESSAGE_RETRY, 1);
  EXPECT_EQ("HALO_MESSAGE_FAILED", HALO_MESSAGE_FAILED, 2);
  EXPECT_EQ("HALO_MESSAGE_OPTED_OUT", HALO_MESSAGE_OPTED_OUT, 3);
  EXPECT_EQ("HALO_MESSAGE_BOUNCED", HALO_MESSAGE_BOUNCED, 4);
  EXPECT_EQ("HALO_DELIVERY_FULL", HALO_DELIVERY_FULL, 0);
  EXPECT_EQ("HALO_DELIVERY_CHANGES", HALO_DELIVERY_CHANGES, 1);
  EXPECT_EQ("HALO_CAP_INCREMENTAL_DELIVERY", HALO_CAP_INCREMENTAL_DELIVERY, 32);

  /* Host table: 1.0 functions keep their offsets; 1.1 appended http_*;
   * 1.2 appended event_reject, then the HTTP server routes, then the typed
   * profile accessors, then model_param, then model_data, then
   * message_result, then smtp_send, then the profile segments and the
   * delivery reports. */
  OFFSET(halo_host_api, log, 8);
  OFFSET(halo_host_api, opt_string, 48);
  OFFSET(halo_host_api, sink_add_record, 112);
  OFFSET(halo_host_api, profile_id, 336);
  OFFSET(halo_host_api, http_request, 344);
  OFFSET(halo_host_api, http_free, 384);
  OFFSET(halo_host_api, event_reject, 392);
  OFFSET(halo_host_api, http_route_add, 400);
  OFFSET(halo_host_api, http_req_header, 440);
  OFFSET(halo_host_api, http_resp_body, 472);
  OFFSET(halo_host_api, profile_trait, 480);
  OFFSET(halo_host_api, profile_feature, 504);
  OFFSET(halo_host_api, profile_identifier_at, 536);
  OFFSET(halo_host_api, profile_updated_at_ms, 544);
  OFFSET(halo_host_api, feature_valid_until, 552);
  OFFSET(halo_host_api, model_param, 560);
  OFFSET(halo_host_api, model_data, 568);
  OFFSET(halo_host_api, message_result, 576);
  OFFSET(halo_host_api, smtp_send, 584);
  OFFSET(halo_host_api, profile_segment_count, 592);
  OFFSET(halo_host_api, profile_segment_at, 600);
  OFFSET(halo_host_api, delivery_receipt, 608);
  OFFSET(halo_host_api, consent_record, 616);
  OFFSET(halo_host_api, http_request_many, 624);
  OFFSET(halo_host_api, resolve_link_event, 632);
  OFFSET(halo_host_api, mailbox_request, 640);
  OFFSET(halo_host_api, smtp_send_many, 648);
  SIZE(halo_host_api, 656);

  /* Delivery reports (since 1.2). */
  OFFSET(halo_delivery_receipt, status, 4);
  OFFSET(halo_delivery_receipt, message_id, 8);
  OFFSET(halo_delivery_receipt, provider_id, 16);
  OFFSET(halo_delivery_receipt, detail, 32);
  OFFSET(halo_delivery_receipt, at_ms, 48);
  SIZE(halo_delivery_receipt, 56);
  /* Messages handed to poll_receipts (since 1.2). */
  OFFSET(halo_sent_message, polls, 4);
  OFFSET(halo_sent_message, id, 8);
  OFFSET(halo_sent_message, provider_id, 16);
  OFFSET(halo_sent_message, recipient, 32);
  OFFSET(halo_sent_message, sent_at_ms, 48);
  SIZE(halo_sent_message, 56);
  OFFSET(halo_consent_statement, opted_in, 4);
  OFFSET(halo_consent_statement, channel, 8);
  OFFSET(halo_consent_statement, address, 24);
  OFFSET(halo_consent_statement, reason, 40);
  OFFSET(halo_consent_statement, proof, 56);
  OFFSET(halo_consent_statement, at_ms, 72);
  SIZE(halo_consent_statement, 80);
  EXPECT_EQ("HALO_RECEIPT_DELIVERED", HALO_RECEIPT_DELIVERED, 1);
  EXPECT_EQ("HALO_RECEIPT_COMPLAINED", HALO_RECEIPT_COMPLAINED, 4);

  /* halo_smtp_request (since 1.2). */
  OFFSET(halo_smtp_request, url, 8);
  OFFSET(halo_smtp_request, ca_file, 32);
  OFFSET(halo_smtp_request, insecure, 40);
  OFFSET(halo_smtp_request, timeout_ms, 48);
  OFFSET(halo_smtp_request, mail_from, 56);
  OFFSET(halo_smtp_request, recipients, 64);
  OFFSET(halo_smtp_request, data_len, 88);
  SIZE(halo_smtp_request, 96);

  /* halo_mailbox_request (since 1.2). */
  OFFSET(halo_mailbox_request, url, 8);
  OFFSET(halo_mailbox_request, ca_file, 32);
  OFFSET(halo_mailbox_request, plaintext, 44);
  OFFSET(halo_mailbox_request, timeout_ms, 48);
  OFFSET(halo_mailbox_request, command, 56);
  OFFSET(halo_mailbox_request, max_bytes, 64);
  SIZE(halo_mailbox_request, 72);

  /* halo_typed_kind codes (since 1.2) never change. */
  EXPECT_EQ("HALO_TYPED_NULL", HALO_TYPED_NULL, 1);
  EXPECT_EQ("HALO_TYPED_DECIMAL", HALO_TYPED_DECIMAL, 4);
  EXPECT_EQ("HALO_TYPED_TIMESTAMP", HALO_TYPED_TIMESTAMP, 7);
  EXPECT_EQ("HALO_TYPED_STRING_LIST", HALO_TYPED_STRING_LIST, 8);

  EXPECT_EQ("HALO_ABI_MAJOR", HALO_ABI_MAJOR, 1);
  EXPECT_EQ("HALO_ABI_MINOR", HALO_ABI_MINOR, 2);
  if (failures == 0) printf("plugin.h layout: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
