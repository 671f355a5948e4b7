// field_path_test.cpp -- halo/field_path.hpp: which leaf paths a path with
// `[]` names, and which bracketed paths are well formed.
#include <halo/field_path.hpp>

#include <gtest/gtest.h>

namespace halo {
namespace {

TEST(FieldPath, BracketsStandForEveryPosition) {
  EXPECT_TRUE(element_path_matches("properties.products[].sku", "properties.products.0.sku"));
  EXPECT_TRUE(element_path_matches("properties.products[].sku", "properties.products.12.sku"));
  EXPECT_TRUE(element_path_matches("properties.tags[]", "properties.tags.3"));
  EXPECT_TRUE(element_path_matches("properties.grid[][]", "properties.grid.1.0"));
  EXPECT_TRUE(element_path_matches("properties.revenue", "properties.revenue"));
  // Not a position, not the same key, a deeper or a shallower leaf.
  EXPECT_FALSE(element_path_matches("properties.products[].sku", "properties.products.x.sku"));
  EXPECT_FALSE(element_path_matches("properties.products[].sku", "properties.products..sku"));
  EXPECT_FALSE(element_path_matches("properties.products[].sku", "properties.products.0.skus"));
  EXPECT_FALSE(element_path_matches("properties.products[].sku", "properties.products.sku"));
  EXPECT_FALSE(element_path_matches("properties.products[].sku", "properties.products.0.sku.x"));
  EXPECT_FALSE(element_path_matches("properties.tags[]", "properties.tags.0.name"));
  EXPECT_FALSE(element_path_matches("properties.tags[]", "properties.tags"));
  EXPECT_FALSE(element_path_matches("properties.grid[][]", "properties.grid.1"));
  EXPECT_FALSE(element_path_matches("properties.tags[]", "properties.tagsx.0"));
}

TEST(FieldPath, BracketsFollowAKeyAndEndIt) {
  for (const char *good : {"properties.products[].sku", "properties.tags[]", "a.grid[][]",
                           "properties.revenue", "x[].y[].z"}) {
    EXPECT_TRUE(well_formed_elements(good)) << good;
  }
  for (const char *bad : {"[]", "a.[]", "a[0]", "a[]b", "a]", "a[", "a[[]]", "a.b[].[]"}) {
    EXPECT_FALSE(well_formed_elements(bad)) << bad;
  }
  EXPECT_TRUE(names_elements("properties.tags[]"));
  EXPECT_FALSE(names_elements("properties.tags.0"));
}

}  // namespace
}  // namespace halo
