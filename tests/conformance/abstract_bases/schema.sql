CREATE TABLE "abstract_bases_bundle" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "tag" varchar(50) NOT NULL, "name" varchar(80) NOT NULL UNIQUE);
CREATE TABLE "abstract_bases_bundle_products" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "bundle_id" integer NOT NULL REFERENCES "abstract_bases_bundle" ("id") DEFERRABLE INITIALLY DEFERRED, "product_id" integer NOT NULL REFERENCES "abstract_bases_product" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "abstract_bases_product" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL, "price" decimal NOT NULL, "currency" varchar(3) NOT NULL, "sku" varchar(10) NOT NULL UNIQUE);
CREATE TABLE "abstract_bases_service" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(50) NOT NULL, "price" decimal NOT NULL, "currency" varchar(3) NOT NULL, "hours" integer NOT NULL);
CREATE INDEX "abstract_bases_bundle_products_bundle_id_478cd5fe" ON "abstract_bases_bundle_products" ("bundle_id");
CREATE UNIQUE INDEX "abstract_bases_bundle_products_bundle_id_product_id_e9fdd112_uniq" ON "abstract_bases_bundle_products" ("bundle_id", "product_id");
CREATE INDEX "abstract_bases_bundle_products_product_id_158df90c" ON "abstract_bases_bundle_products" ("product_id");
CREATE INDEX "abstract_bases_bundle_tag_5458bc2f" ON "abstract_bases_bundle" ("tag");
