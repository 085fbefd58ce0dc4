CREATE TABLE "update_rules_brand" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(30) NOT NULL, "markup" integer NOT NULL);
CREATE TABLE "update_rules_product" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(30) NOT NULL, "price" decimal NOT NULL, "stock" integer NOT NULL, "updated" datetime NOT NULL, "brand_id" integer NOT NULL REFERENCES "update_rules_brand" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "update_rules_product_tags" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "product_id" integer NOT NULL REFERENCES "update_rules_product" ("id") DEFERRABLE INITIALLY DEFERRED, "tag_id" integer NOT NULL REFERENCES "update_rules_tag" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "update_rules_tag" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(30) NOT NULL);
CREATE INDEX "update_rules_product_brand_id_0d29103c" ON "update_rules_product" ("brand_id");
CREATE INDEX "update_rules_product_tags_product_id_5c67cdd4" ON "update_rules_product_tags" ("product_id");
CREATE UNIQUE INDEX "update_rules_product_tags_product_id_tag_id_47f7f230_uniq" ON "update_rules_product_tags" ("product_id", "tag_id");
CREATE INDEX "update_rules_product_tags_tag_id_d615dbbd" ON "update_rules_product_tags" ("tag_id");
